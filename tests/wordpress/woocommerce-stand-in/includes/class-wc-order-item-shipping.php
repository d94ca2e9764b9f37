<?php
/**
 * WC_Order_Item_Shipping: a shipping line of an order (method id and title, total, item meta).
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Order_Item_Shipping; the stand-in order keeps it as an array (get_data()). */
class WC_Order_Item_Shipping {
	/** @var array */
	private $data;

	/** @param array $data method_id, method_title, total, meta (key => value). */
	public function __construct( $data = array() ) {
		$this->data = wp_parse_args( is_array( $data ) ? $data : array(), array( 'method_id' => '', 'method_title' => '', 'instance_id' => '', 'total' => '0', 'meta' => array() ) );
	}

	/** @param string $value Shipping method id (flat_rate, local_pickup, pickup_location…). */
	public function set_method_id( $value ) {
		$this->data['method_id'] = (string) $value;
	}

	/** @param string $value Title shown on the order. */
	public function set_method_title( $value ) {
		$this->data['method_title'] = (string) $value;
	}

	/** @param string $value Instance id. */
	public function set_instance_id( $value ) {
		$this->data['instance_id'] = (string) $value;
	}

	/** @param string|float $value Cost. */
	public function set_total( $value ) {
		$this->data['total'] = (string) $value;
	}

	/** @return string */
	public function get_method_id() {
		return $this->data['method_id'];
	}

	/** @return string */
	public function get_method_title() {
		return $this->data['method_title'];
	}

	/** @return string */
	public function get_name() {
		return $this->data['method_title'];
	}

	/** @return string */
	public function get_total() {
		return $this->data['total'];
	}

	/** @return string */
	public function get_type() {
		return 'shipping';
	}

	/**
	 * @param string $key    Meta key.
	 * @param mixed  $value  Value.
	 * @param bool   $unique Replace an existing value (the stand-in keeps one value per key).
	 */
	public function add_meta_data( $key, $value, $unique = false ) {
		$this->data['meta'][ $key ] = $value;
	}

	/** @param string $key Meta key. @param bool $single Single. @return mixed */
	public function get_meta( $key = '', $single = true ) {
		return isset( $this->data['meta'][ $key ] ) ? $this->data['meta'][ $key ] : '';
	}

	/** @return array */
	public function get_data() {
		return $this->data;
	}
}
