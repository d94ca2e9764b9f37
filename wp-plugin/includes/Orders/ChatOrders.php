<?php
/**
 * Orders placed in a messenger chat through the connector, collected in store. Created through
 * WooCommerce's own objects (WC_Order, WC_Order_Item_Shipping), so prices, stock, emails and both
 * order storages behave as for a checkout. Never creates a WordPress user: a known customer is
 * linked by id, anyone else is a guest with a billing phone and name.
 *
 * A connector retries a job it is not sure about; the connector's key is stored on the order
 * (`_nitka_order_key`) and looked up under a database lock, so a retry returns the first order.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Orders;

defined( 'ABSPATH' ) || exit;

/** Creates chat orders and moves them along the pickup. */
final class ChatOrders {
	const KEY_META      = '_nitka_order_key';
	const LOCATION_META = '_nitka_pickup_location_id';
	const CHANNEL_META  = '_nitka_channel';
	/** WooCommerce's own local pickup (the checkout block's) uses this method id and item meta. */
	const PICKUP_METHOD = 'pickup_location';
	const LOCK_SECONDS  = 15;

	/**
	 * Creates the order, or finds the one created under the same key.
	 *
	 * @param array $input key, customer, items, pickup, channel, customer_note.
	 * @return array|\WP_Error The order (`duplicate`: it existed already).
	 */
	public static function create( array $input ) {
		$lock = self::lock( $input['key'] );
		if ( false === $lock ) {
			return new \WP_Error( 'nitka_busy', 'the same order is being created right now', array( 'status' => 503 ) );
		}
		try {
			$existing = self::find( $input['key'] );
			if ( $existing ) {
				return self::describe( $existing, true );
			}
			$products = self::products( $input['items'] );
			if ( is_wp_error( $products ) ) {
				return $products;
			}
			$order = self::build( $input, $products );
			return self::describe( $order, false );
		} finally {
			self::unlock( $lock );
		}
	}

	/**
	 * The order created under a key.
	 *
	 * @param string $key Connector's idempotency key.
	 * @return \WC_Order|null
	 */
	public static function find( $key ) {
		$ids = wc_get_orders(
			array(
				'limit'      => 1,
				'return'     => 'ids',
				'type'       => 'shop_order',
				'meta_query' => array( // phpcs:ignore WordPress.DB.SlowDBQuery
					array(
						'key'   => self::KEY_META,
						'value' => $key,
					),
				),
			)
		);
		$order = $ids ? wc_get_order( (int) $ids[0] ) : false;
		return $order ? $order : null;
	}

	/**
	 * Loads and checks every product: published, purchasable, in stock in the quantity asked.
	 *
	 * @param array $items productId, quantity.
	 * @return array|\WP_Error [ [ WC_Product, quantity ] ], or the products that cannot be sold.
	 */
	private static function products( array $items ) {
		$lines       = array();
		$unavailable = array();
		foreach ( $items as $item ) {
			$id       = (int) $item['productId'];
			$quantity = (int) $item['quantity'];
			$product  = wc_get_product( $id );
			if ( ! $product || 'publish' !== $product->get_status() || ! $product->is_purchasable() || ! $product->is_in_stock() || ! $product->has_enough_stock( $quantity ) ) {
				$unavailable[] = $id;
				continue;
			}
			$lines[] = array( $product, $quantity );
		}
		if ( $unavailable ) {
			return new \WP_Error( 'nitka_product_unavailable', 'some products cannot be ordered', array( 'status' => 409, 'productIds' => $unavailable ) );
		}
		return $lines;
	}

	/**
	 * @param array $input    Request.
	 * @param array $products [ WC_Product, quantity ].
	 * @return \WC_Order
	 */
	private static function build( array $input, array $products ) {
		$customer = $input['customer'];
		$pickup   = $input['pickup'];
		$order    = new \WC_Order();
		$order->set_created_via( 'nitka' );
		$order->set_currency( get_woocommerce_currency() );
		$order->set_payment_method_title( __( 'Pay at pickup', 'nitka' ) );
		$billing = self::billing( $customer );
		if ( $billing['customer_id'] ) {
			$order->set_customer_id( $billing['customer_id'] );
		}
		$order->set_billing_first_name( $billing['first_name'] );
		$order->set_billing_last_name( $billing['last_name'] );
		$order->set_billing_phone( $billing['phone'] );
		$order->set_billing_email( $billing['email'] );
		if ( '' !== $input['customer_note'] ) {
			$order->set_customer_note( $input['customer_note'] );
		}
		foreach ( $products as $line ) {
			$order->add_product( $line[0], $line[1] );
		}
		$shipping = new \WC_Order_Item_Shipping();
		$shipping->set_method_id( self::PICKUP_METHOD );
		/* translators: %s: store or pickup point name */
		$shipping->set_method_title( sprintf( __( 'Pickup: %s', 'nitka' ), $pickup['name'] ) );
		$shipping->set_total( 0 );
		$shipping->add_meta_data( 'pickup_location', $pickup['name'], true );
		if ( ! empty( $pickup['address'] ) ) {
			$shipping->add_meta_data( 'pickup_address', $pickup['address'], true );
		}
		$order->add_item( $shipping );
		$order->update_meta_data( self::KEY_META, $input['key'] );
		$order->update_meta_data( self::LOCATION_META, $pickup['locationId'] );
		if ( '' !== $input['channel'] ) {
			$order->update_meta_data( self::CHANNEL_META, $input['channel'] );
		}
		$order->calculate_totals();
		$order->set_status( 'processing' );
		$order->save();
		$order->add_order_note(
			sprintf(
				/* translators: 1: messenger (Telegram, VK, MAX), 2: store or pickup point name */
				__( 'Created from a %1$s chat by Nitka; to be picked up at %2$s.', 'nitka' ),
				self::channel_label( $input['channel'] ),
				$pickup['name']
			)
		);
		return $order;
	}

	/**
	 * Billing details: the WooCommerce customer's when the id is a customer's (the request's own
	 * values win), else the request's. An unknown id is ignored: the order is a guest's.
	 *
	 * @param array $customer wcCustomerId, firstName, lastName, phone, email.
	 * @return array customer_id, first_name, last_name, phone, email
	 */
	private static function billing( array $customer ) {
		$out = array(
			'customer_id' => 0,
			'first_name'  => sanitize_text_field( $customer['firstName'] ?? '' ),
			'last_name'   => sanitize_text_field( $customer['lastName'] ?? '' ),
			'phone'       => wc_sanitize_phone_number( $customer['phone'] ?? '' ),
			'email'       => is_email( $customer['email'] ?? '' ) ? sanitize_email( $customer['email'] ) : '',
		);
		$id = (int) ( $customer['wcCustomerId'] ?? 0 );
		if ( $id > 0 && get_userdata( $id ) ) {
			$known              = new \WC_Customer( $id );
			$out['customer_id'] = $id;
			$fallback           = array(
				'first_name' => $known->get_billing_first_name() ? $known->get_billing_first_name() : $known->get_first_name(),
				'last_name'  => $known->get_billing_last_name() ? $known->get_billing_last_name() : $known->get_last_name(),
				'phone'      => $known->get_billing_phone(),
				'email'      => $known->get_billing_email() ? $known->get_billing_email() : $known->get_email(),
			);
			foreach ( $fallback as $key => $value ) {
				if ( '' === $out[ $key ] ) {
					$out[ $key ] = (string) $value;
				}
			}
		}
		return $out;
	}

	/**
	 * Moves a chat order along its pickup: ready (the shop's "Ready for pickup" status),
	 * collected (Completed), cancelled. Asking for the status an order already has, or for
	 * "ready" once it was collected, changes nothing (a retried job).
	 *
	 * @param int    $order_id Order id.
	 * @param string $to       ready, collected or cancelled.
	 * @param string $location Where it happened (for the order note).
	 * @return array|\WP_Error orderId, status, changed
	 */
	public static function move( $order_id, $to, $location ) {
		$order = wc_get_order( $order_id );
		if ( ! $order || 'shop_order' !== $order->get_type() || '' === (string) $order->get_meta( self::KEY_META ) ) {
			return new \WP_Error( 'nitka_no_order', 'no chat order with this id', array( 'status' => 404 ) );
		}
		$current = $order->get_status();
		$ready   = PickupStatus::ready_status();
		$closed  = array( 'cancelled', 'refunded', 'failed', 'trash' );
		$where   = '' !== $location ? $location : self::pickup_name( $order );
		$plan    = array(
			/* translators: %s: store or pickup point name */
			'ready'     => array( $ready, array( $ready, 'completed' ), sprintf( __( 'Ready for pickup at %s (marked at the counter).', 'nitka' ), $where ) ),
			/* translators: %s: store or pickup point name */
			'collected' => array( 'completed', array( 'completed' ), sprintf( __( 'Collected by the customer at %s (confirmed at the counter).', 'nitka' ), $where ) ),
			'cancelled' => array( 'cancelled', array( 'cancelled' ), __( 'The pickup was cancelled.', 'nitka' ) ),
		);
		list( $target, $done, $note ) = $plan[ $to ];
		if ( in_array( $current, $done, true ) ) {
			return self::moved( $order, false );
		}
		if ( in_array( $current, $closed, true ) || ( 'cancelled' === $to && 'completed' === $current ) ) {
			return new \WP_Error( 'nitka_order_state', sprintf( 'the order is %s', $current ), array( 'status' => 409, 'orderStatus' => $current ) );
		}
		$order->update_status( $target, $note );
		return self::moved( wc_get_order( $order->get_id() ), true );
	}

	/**
	 * The pickup location the order was placed for (its pickup line), or "the store".
	 *
	 * @param \WC_Order $order Order.
	 * @return string
	 */
	private static function pickup_name( $order ) {
		foreach ( $order->get_items( 'shipping' ) as $shipping ) {
			if ( self::PICKUP_METHOD === $shipping->get_method_id() && '' !== (string) $shipping->get_meta( 'pickup_location' ) ) {
				return (string) $shipping->get_meta( 'pickup_location' );
			}
		}
		return __( 'the store', 'nitka' );
	}

	/** @return array */
	private static function moved( $order, $changed ) {
		return array(
			'orderId' => (string) $order->get_id(),
			'status'  => (string) $order->get_status(),
			'changed' => (bool) $changed,
		);
	}

	/**
	 * What the connector keeps of an order.
	 *
	 * @param \WC_Order $order     Order.
	 * @param bool      $duplicate Found under its key rather than created now.
	 * @return array
	 */
	public static function describe( $order, $duplicate ) {
		$items = array();
		foreach ( $order->get_items() as $item ) {
			$items[] = array(
				'productId' => (int) $item->get_product_id(),
				'name'      => (string) $item->get_name(),
				'quantity'  => (int) $item->get_quantity(),
				'total'     => wc_format_decimal( $item->get_total(), wc_get_price_decimals() ),
			);
		}
		$pickup = null;
		foreach ( $order->get_items( 'shipping' ) as $shipping ) {
			if ( self::PICKUP_METHOD === $shipping->get_method_id() ) {
				$pickup = array(
					'name'    => (string) $shipping->get_meta( 'pickup_location' ),
					'address' => (string) $shipping->get_meta( 'pickup_address' ),
				);
			}
		}
		return array(
			'orderId'    => (string) $order->get_id(),
			'number'     => (string) $order->get_order_number(),
			'status'     => (string) $order->get_status(),
			'total'      => wc_format_decimal( $order->get_total(), wc_get_price_decimals() ),
			'currency'   => (string) $order->get_currency(),
			'customerId' => (int) $order->get_customer_id(),
			'items'      => $items,
			'pickup'     => $pickup,
			'editUrl'    => (string) $order->get_edit_order_url(),
			'duplicate'  => (bool) $duplicate,
		);
	}

	/** @return string The messenger's name. */
	private static function channel_label( $channel ) {
		$labels = array(
			'telegram' => 'Telegram',
			'vk'       => 'VK',
			'max'      => 'MAX',
		);
		return $labels[ $channel ] ?? __( 'messenger', 'nitka' );
	}

	/**
	 * A named database lock per key (MySQL/MariaDB GET_LOCK), so two deliveries of one job
	 * cannot both miss the lookup and create two orders.
	 *
	 * @param string $key Idempotency key.
	 * @return string|null|false Lock name; null when the database has no named locks; false when busy.
	 */
	private static function lock( $key ) {
		global $wpdb;
		$name = 'nitka_order_' . md5( get_current_blog_id() . '|' . $key );
		$got  = $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, %d)', $name, self::LOCK_SECONDS ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( null === $got ) {
			return null;
		}
		return '1' === (string) $got ? $name : false;
	}

	/** @param string|null $name Lock name. */
	private static function unlock( $name ) {
		global $wpdb;
		if ( $name ) {
			$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $name ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		}
	}
}
