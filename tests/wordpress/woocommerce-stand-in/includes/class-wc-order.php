<?php
/**
 * WC_Order stand-in, stored as a shop_order post with WooCommerce's meta keys. Saving fires
 * woocommerce_new_order / woocommerce_update_order and the status transition hooks with
 * WooCommerce's arguments.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Order. */
class WC_Order {
	/** Props stored in WooCommerce's order meta keys. */
	const META_KEYS = array(
		'currency'             => '_order_currency',
		'total'                => '_order_total',
		'customer_id'          => '_customer_user',
		'billing_first_name'   => '_billing_first_name',
		'billing_last_name'    => '_billing_last_name',
		'billing_email'        => '_billing_email',
		'billing_phone'        => '_billing_phone',
		'order_key'            => '_order_key',
		'amount'               => '_refund_amount',
		'reason'               => '_refund_reason',
		'created_via'          => '_created_via',
		'payment_method'       => '_payment_method',
		'payment_method_title' => '_payment_method_title',
		'customer_note'        => '_stand_in_customer_note',
	);

	/** @var int */
	protected $id = 0;
	/** @var array */
	protected $data = array(
		'parent_id'            => 0,
		'status'               => 'pending',
		'currency'             => 'RUB',
		'total'                => '0',
		'customer_id'          => 0,
		'billing_first_name'   => '',
		'billing_last_name'    => '',
		'billing_email'        => '',
		'billing_phone'        => '',
		'order_key'            => '',
		'date_created'         => null,
		'date_modified'        => null,
		'items'                => array(),
		'shipping_lines'       => array(),
		'created_via'          => '',
		'payment_method'       => '',
		'payment_method_title' => '',
		'customer_note'        => '',
		'amount'               => '0',
		'reason'               => '',
	);
	/** @var array */
	protected $meta = array();
	/** @var string|false Status before this object's pending changes. */
	protected $status_from = false;
	/** @var string */
	protected $post_type = 'shop_order';

	/** @param int|WC_Order $order Order id. */
	public function __construct( $order = 0 ) {
		$id = $order instanceof WC_Order ? $order->get_id() : absint( $order );
		if ( $id ) {
			$this->read( $id );
		}
	}

	/** Loads from the post and its meta. @param int $id Post id. */
	protected function read( $id ) {
		$post = get_post( $id );
		if ( ! $post || $post->post_type !== $this->post_type ) {
			throw new Exception( 'Invalid order.' );
		}
		$this->id                = $post->ID;
		$this->data['parent_id'] = (int) $post->post_parent;
		$this->data['status']    = 0 === strpos( $post->post_status, 'wc-' ) ? substr( $post->post_status, 3 ) : $post->post_status;
		foreach ( self::META_KEYS as $key => $meta_key ) {
			$value = get_post_meta( $id, $meta_key, true );
			if ( '' !== $value ) {
				$this->data[ $key ] = 'customer_id' === $key ? (int) $value : $value;
			}
		}
		$this->data['items']          = (array) get_post_meta( $id, '_stand_in_items', true );
		$this->data['shipping_lines'] = (array) get_post_meta( $id, '_stand_in_shipping_lines', true );
		$this->data['date_created']  = new WC_DateTime( $post->post_date_gmt, new DateTimeZone( 'UTC' ) );
		$this->data['date_modified'] = new WC_DateTime( $post->post_modified_gmt, new DateTimeZone( 'UTC' ) );
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string 'shop_order' or 'shop_order_refund' */
	public function get_type() {
		return $this->post_type;
	}

	/** @return int */
	public function get_parent_id() {
		return (int) $this->data['parent_id'];
	}

	/** @return string Status without the wc- prefix. */
	public function get_status() {
		return $this->data['status'];
	}

	/** @return string */
	public function get_order_number() {
		return (string) apply_filters( 'woocommerce_order_number', $this->id, $this );
	}

	/** @return string */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/** @return string */
	public function get_currency() {
		return $this->data['currency'];
	}

	/** @return int */
	public function get_customer_id() {
		return (int) $this->data['customer_id'];
	}

	/** @return string */
	public function get_billing_first_name() {
		return $this->data['billing_first_name'];
	}

	/** @return string */
	public function get_billing_last_name() {
		return $this->data['billing_last_name'];
	}

	/** @return string */
	public function get_billing_email() {
		return $this->data['billing_email'];
	}

	/** @return string */
	public function get_billing_phone() {
		return $this->data['billing_phone'];
	}

	/** @return string */
	public function get_order_key() {
		return $this->data['order_key'];
	}

	/** @return WC_DateTime|null */
	public function get_date_created() {
		return $this->data['date_created'];
	}

	/** @return WC_DateTime|null */
	public function get_date_modified() {
		return $this->data['date_modified'];
	}

	/**
	 * @param string|string[] $types line_item, shipping.
	 * @return array WC_Order_Item_Product / WC_Order_Item_Shipping keyed by item id.
	 */
	public function get_items( $types = 'line_item' ) {
		$types = (array) $types;
		$items = array();
		if ( in_array( 'line_item', $types, true ) ) {
			foreach ( $this->data['items'] as $index => $item ) {
				$items[ $index + 1 ] = new WC_Order_Item_Product( $item );
			}
		}
		if ( in_array( 'shipping', $types, true ) ) {
			foreach ( $this->data['shipping_lines'] as $index => $line ) {
				$items[ 1000 + $index ] = new WC_Order_Item_Shipping( $line );
			}
		}
		return $items;
	}

	/** @return WC_Order_Item_Shipping[] */
	public function get_shipping_methods() {
		return $this->get_items( 'shipping' );
	}

	/** @return string */
	public function get_created_via() {
		return (string) $this->data['created_via'];
	}

	/** @return string */
	public function get_customer_note() {
		return (string) $this->data['customer_note'];
	}

	/** @return string */
	public function get_payment_method_title() {
		return (string) $this->data['payment_method_title'];
	}

	/**
	 * As WC_Abstract_Order::add_product(): a line at the product's price.
	 *
	 * @param WC_Product $product Product.
	 * @param int|float  $qty     Quantity.
	 * @param array      $args    name, total (defaults from the product).
	 * @return int Item id.
	 */
	public function add_product( $product, $qty = 1, $args = array() ) {
		$this->data['items'][] = array(
			'name'       => isset( $args['name'] ) ? $args['name'] : $product->get_name(),
			'quantity'   => $qty,
			'total'      => isset( $args['total'] ) ? (string) $args['total'] : wc_format_decimal( wc_get_price_to_display( $product, array( 'qty' => $qty ) ), wc_get_price_decimals() ),
			'sku'        => $product->get_sku(),
			'product_id' => $product->get_id(),
		);
		return count( $this->data['items'] );
	}

	/**
	 * As WC_Abstract_Order::add_item() (shipping lines in the stand-in).
	 *
	 * @param WC_Order_Item_Shipping $item Item.
	 */
	public function add_item( $item ) {
		if ( ! $item instanceof WC_Order_Item_Shipping ) {
			throw new InvalidArgumentException( 'the stand-in adds shipping items only; use add_product()' );
		}
		$this->data['shipping_lines'][] = $item->get_data();
	}

	/**
	 * As WC_Abstract_Order::calculate_totals(): lines plus shipping (the stand-in has no taxes or coupons).
	 *
	 * @param bool $and_taxes Taxes too.
	 * @return float
	 */
	public function calculate_totals( $and_taxes = true ) {
		$total = 0.0;
		foreach ( $this->data['items'] as $item ) {
			$total += (float) $item['total'];
		}
		foreach ( $this->data['shipping_lines'] as $line ) {
			$total += (float) $line['total'];
		}
		$this->data['total'] = wc_format_decimal( $total, wc_get_price_decimals() );
		return $total;
	}

	/**
	 * As WC_Order::add_order_note(): a comment of type order_note.
	 *
	 * @param string $note             Text.
	 * @param int    $is_customer_note Shown to the customer.
	 * @param bool   $added_by_user    Added by the current user.
	 * @return int Comment id.
	 */
	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		if ( ! $this->id ) {
			return 0;
		}
		$id = wp_insert_comment(
			array(
				'comment_post_ID'  => $this->id,
				'comment_author'   => 'WooCommerce',
				'comment_content'  => $note,
				'comment_agent'    => 'WooCommerce',
				'comment_type'     => 'order_note',
				'comment_approved' => 1,
			)
		);
		if ( $is_customer_note ) {
			add_comment_meta( $id, 'is_customer_note', 1 );
		}
		return (int) $id;
	}

	/** @return WC_Order_Refund[] */
	public function get_refunds() {
		$ids = get_posts( array( 'post_type' => 'shop_order_refund', 'post_parent' => $this->id, 'post_status' => 'any', 'fields' => 'ids', 'numberposts' => -1 ) );
		return array_map( 'wc_get_order', $ids );
	}

	/** @return float */
	public function get_total_refunded() {
		$total = 0.0;
		foreach ( $this->get_refunds() as $refund ) {
			$total += (float) $refund->get_amount();
		}
		return $total;
	}

	/** @return string */
	public function get_checkout_order_received_url() {
		return add_query_arg( array( 'wc-stand-in' => 'order-received', 'order' => $this->id, 'key' => $this->get_order_key() ), home_url( '/' ) );
	}

	/** @return string */
	public function get_view_order_url() {
		return add_query_arg( array( 'wc-stand-in' => 'view-order', 'order' => $this->id ), home_url( '/' ) );
	}

	/** @return string */
	public function get_edit_order_url() {
		return Automattic\WooCommerce\Utilities\OrderUtil::get_order_admin_edit_url( $this->id );
	}

	/** @param string $key Meta key. @return mixed */
	public function get_meta( $key = '', $single = true ) {
		if ( array_key_exists( $key, $this->meta ) ) {
			return $this->meta[ $key ];
		}
		return $this->id ? get_post_meta( $this->id, $key, $single ) : '';
	}

	/** @param string $key Meta key. @param mixed $value Value. */
	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
	}

	/** Generic setter for the stand-in's props (set_billing_email(), set_total()…). */
	public function __call( $name, $args ) {
		if ( 0 === strpos( $name, 'set_' ) && array_key_exists( substr( $name, 4 ), $this->data ) ) {
			$this->data[ substr( $name, 4 ) ] = $args[0];
			return null;
		}
		throw new BadMethodCallException( $name );
	}

	/** @param string $status New status, with or without wc-. @return array from/to */
	public function set_status( $status ) {
		$status = 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
		if ( false === $this->status_from ) {
			$this->status_from = $this->id ? $this->data['status'] : 'pending';
		}
		$this->data['status'] = $status;
		return array( 'from' => $this->status_from, 'to' => $status );
	}

	/**
	 * As WC_Order::update_status(): saves, and notes the change (after the given note).
	 *
	 * @param string $status New status.
	 * @param string $note   Note to add with the change.
	 * @return bool
	 */
	public function update_status( $status, $note = '' ) {
		$change = $this->set_status( $status );
		$this->save();
		if ( $this->id && ( $change['from'] !== $change['to'] || '' !== $note ) ) {
			$statuses = wc_get_order_statuses();
			$label    = static fn( $s ) => isset( $statuses[ 'wc-' . $s ] ) ? $statuses[ 'wc-' . $s ] : $s;
			$this->add_order_note( trim( $note . ' ' . sprintf( 'Order status changed from %1$s to %2$s.', $label( $change['from'] ), $label( $change['to'] ) ) ) );
		}
		return true;
	}

	/** Adds a line item (stand-in helper; WooCommerce takes a WC_Order_Item). @param array $item name, quantity, total, sku. */
	public function add_stand_in_item( array $item ) {
		$this->data['items'][] = $item;
	}

	/** @return int Order id. */
	public function save() {
		$is_new  = ! $this->id;
		$postarr = array(
			'post_type'   => $this->post_type,
			'post_status' => 'shop_order' === $this->post_type ? 'wc-' . $this->data['status'] : 'wc-completed',
			'post_parent' => $this->data['parent_id'],
			'post_title'  => 'Order',
		);
		if ( $is_new ) {
			$this->data['order_key'] = $this->data['order_key'] ? $this->data['order_key'] : 'wc_order_' . wp_generate_password( 13, false );
			$this->id                = wp_insert_post( $postarr, true );
			if ( is_wp_error( $this->id ) ) {
				throw new Exception( $this->id->get_error_message() );
			}
		} else {
			$postarr['ID'] = $this->id;
			wp_update_post( $postarr );
		}
		foreach ( self::META_KEYS as $key => $meta_key ) {
			update_post_meta( $this->id, $meta_key, $this->data[ $key ] );
		}
		update_post_meta( $this->id, '_stand_in_items', $this->data['items'] );
		update_post_meta( $this->id, '_stand_in_shipping_lines', $this->data['shipping_lines'] );
		foreach ( $this->meta as $key => $value ) {
			update_post_meta( $this->id, $key, $value );
		}
		$this->meta = array();
		clean_post_cache( $this->id );
		$this->read( $this->id );
		if ( 'shop_order' !== $this->post_type ) {
			return $this->id;
		}
		if ( $is_new ) {
			do_action( 'woocommerce_new_order', $this->id, $this );
		} else {
			do_action( 'woocommerce_update_order', $this->id, $this );
		}
		$this->status_transition();
		return $this->id;
	}

	/** Fires WooCommerce's status hooks after a save, as WC_Order::status_transition() does. */
	protected function status_transition() {
		$from              = $this->status_from;
		$this->status_from = false;
		if ( false === $from ) {
			return;
		}
		$to = $this->data['status'];
		do_action( 'woocommerce_order_status_' . $to, $this->id, $this );
		if ( $from !== $to ) {
			do_action( 'woocommerce_order_status_' . $from . '_to_' . $to, $this->id, $this );
			do_action( 'woocommerce_order_status_changed', $this->id, $from, $to, $this );
		}
	}
}

/** Stand-in for WC_Order_Refund. */
class WC_Order_Refund extends WC_Order {
	/** @var string */
	protected $post_type = 'shop_order_refund';

	/** @return string */
	public function get_amount() {
		return (string) $this->data['amount'];
	}

	/** @return string */
	public function get_reason() {
		return (string) $this->data['reason'];
	}
}
