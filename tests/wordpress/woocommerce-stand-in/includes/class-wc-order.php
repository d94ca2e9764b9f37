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
	/** @var int */
	protected $id = 0;
	/** @var array */
	protected $data = array(
		'parent_id'          => 0,
		'status'             => 'pending',
		'currency'           => 'RUB',
		'total'              => '0',
		'customer_id'        => 0,
		'billing_first_name' => '',
		'billing_last_name'  => '',
		'billing_email'      => '',
		'billing_phone'      => '',
		'order_key'          => '',
		'date_created'       => null,
		'date_modified'      => null,
		'items'              => array(),
		'amount'             => '0',
		'reason'             => '',
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
		foreach ( array( 'currency' => '_order_currency', 'total' => '_order_total', 'customer_id' => '_customer_user', 'billing_first_name' => '_billing_first_name', 'billing_last_name' => '_billing_last_name', 'billing_email' => '_billing_email', 'billing_phone' => '_billing_phone', 'order_key' => '_order_key', 'amount' => '_refund_amount', 'reason' => '_refund_reason' ) as $key => $meta_key ) {
			$value = get_post_meta( $id, $meta_key, true );
			if ( '' !== $value ) {
				$this->data[ $key ] = 'customer_id' === $key ? (int) $value : $value;
			}
		}
		$this->data['items']         = (array) get_post_meta( $id, '_stand_in_items', true );
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

	/** @return WC_Order_Item_Product[] keyed by item id. */
	public function get_items( $types = 'line_item' ) {
		$items = array();
		foreach ( $this->data['items'] as $index => $item ) {
			$items[ $index + 1 ] = new WC_Order_Item_Product( $item );
		}
		return $items;
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

	/** @param string $status New status. @return bool */
	public function update_status( $status, $note = '' ) {
		$this->set_status( $status );
		$this->save();
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
		foreach ( array( 'currency' => '_order_currency', 'total' => '_order_total', 'customer_id' => '_customer_user', 'billing_first_name' => '_billing_first_name', 'billing_last_name' => '_billing_last_name', 'billing_email' => '_billing_email', 'billing_phone' => '_billing_phone', 'order_key' => '_order_key', 'amount' => '_refund_amount', 'reason' => '_refund_reason' ) as $key => $meta_key ) {
			update_post_meta( $this->id, $meta_key, $this->data[ $key ] );
		}
		update_post_meta( $this->id, '_stand_in_items', $this->data['items'] );
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
