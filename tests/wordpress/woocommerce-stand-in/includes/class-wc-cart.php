<?php
/**
 * WC_Cart with the session behaviour of WC_Cart_Session: loaded from the session on wp_loaded
 * (woocommerce_cart_loaded_from_session), totals recalculated, and written back by set_session(),
 * which fires woocommerce_cart_updated, as in WooCommerce. Prices come from the product posts.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Cart. */
class WC_Cart {
	/** @var array cart item key => key, product_id, variation_id, variation, quantity, data, line_total, line_subtotal */
	public $cart_contents = array();

	/** @var float */
	protected $total = 0.0;

	/** Hooks the session side, as WC_Cart_Session::init() does. */
	public function __construct() {
		add_action( 'woocommerce_after_calculate_totals', array( $this, 'set_session' ), 1000 );
		add_action( 'woocommerce_cart_emptied', array( $this, 'destroy_cart_session' ) );
	}

	/** Loads the cart stored in the session. */
	public function get_cart_from_session() {
		$this->cart_contents = array();
		foreach ( (array) WC()->session->get( 'cart', array() ) as $key => $values ) {
			$product = wc_get_product( $values['product_id'] );
			if ( $product && $values['quantity'] > 0 ) {
				$this->cart_contents[ $key ] = array_merge( $values, array( 'data' => $product ) );
			}
		}
		do_action( 'woocommerce_cart_loaded_from_session', $this );
		$this->calculate_totals();
	}

	/** @return array */
	public function get_cart() {
		return array_filter( $this->cart_contents );
	}

	/** @return array The cart without product objects, as the session stores it. */
	public function get_cart_for_session() {
		$cart = array();
		foreach ( $this->get_cart() as $key => $values ) {
			unset( $values['data'] );
			$cart[ $key ] = $values;
		}
		return $cart;
	}

	/** @return bool */
	public function is_empty() {
		return 0 === count( $this->get_cart() );
	}

	/** @return int|float */
	public function get_cart_contents_count() {
		return array_sum( wp_list_pluck( $this->get_cart(), 'quantity' ) );
	}

	/** @return string md5 of the session cart and total; empty for an empty cart. */
	public function get_cart_hash() {
		$cart = $this->get_cart_for_session();
		$hash = $cart ? md5( wp_json_encode( $cart ) . $this->get_total( 'edit' ) ) : '';
		return apply_filters( 'woocommerce_cart_hash', $hash, $cart );
	}

	/** @param string $context 'view' (formatted) or 'edit' (a number). @return float|string */
	public function get_total( $context = 'view' ) {
		return 'edit' === $context ? $this->total : number_format( $this->total, 2, '.', '' ) . ' ' . get_woocommerce_currency();
	}

	/**
	 * @param int   $product_id     Product id.
	 * @param int   $quantity       Quantity.
	 * @param int   $variation_id   Variation id.
	 * @param array $variation      Attributes.
	 * @param array $cart_item_data Extra data.
	 * @return string|false The cart item key.
	 */
	public function add_to_cart( $product_id = 0, $quantity = 1, $variation_id = 0, $variation = array(), $cart_item_data = array() ) {
		$product = wc_get_product( $product_id );
		if ( ! $product || $quantity <= 0 ) {
			return false;
		}
		$key = md5( implode( '_', array( $product_id, $variation_id, wp_json_encode( $variation ), wp_json_encode( $cart_item_data ) ) ) );
		if ( isset( $this->cart_contents[ $key ] ) ) {
			$this->cart_contents[ $key ]['quantity'] += $quantity;
		} else {
			$this->cart_contents[ $key ] = array_merge( $cart_item_data, array( 'key' => $key, 'product_id' => (int) $product_id, 'variation_id' => (int) $variation_id, 'variation' => $variation, 'quantity' => $quantity, 'data' => $product ) );
		}
		WC()->session->set_customer_session_cookie( true );
		do_action( 'woocommerce_add_to_cart', $key, $product_id, $quantity, $variation_id, $variation, $cart_item_data );
		$this->calculate_totals();
		return $key;
	}

	/** @param string $cart_item_key Key. @return bool */
	public function remove_cart_item( $cart_item_key ) {
		unset( $this->cart_contents[ $cart_item_key ] );
		$this->calculate_totals();
		return true;
	}

	/** Line totals and the cart total, between WooCommerce's before/after hooks. */
	public function calculate_totals() {
		do_action( 'woocommerce_before_calculate_totals', $this );
		$this->total = 0.0;
		foreach ( $this->cart_contents as $key => $values ) {
			$line = round( (float) $values['data']->get_price() * $values['quantity'], 2 );

			$this->cart_contents[ $key ]['line_subtotal'] = $line;
			$this->cart_contents[ $key ]['line_total']    = $line;
			$this->total                                 += $line;
		}
		do_action( 'woocommerce_after_calculate_totals', $this );
	}

	/** Writes the cart to the session, then fires woocommerce_cart_updated. */
	public function set_session() {
		WC()->session->set( 'cart', $this->get_cart_for_session() );
		WC()->session->set( 'cart_totals', array( 'total' => $this->total ) );
		do_action( 'woocommerce_cart_updated' );
	}

	/** @param bool $clear_persistent_cart Also clear the signed-in customer's saved cart. */
	public function empty_cart( $clear_persistent_cart = true ) {
		$this->cart_contents = array();
		$this->total         = 0.0;
		do_action( 'woocommerce_cart_emptied', $clear_persistent_cart );
	}

	/** Drops the cart from the session. */
	public function destroy_cart_session() {
		WC()->session->set( 'cart', null );
		WC()->session->set( 'cart_totals', null );
	}
}

/** Stand-in for WC_Checkout (the object checkout hooks receive). */
class WC_Checkout {
	/** @var WC_Checkout|null */
	protected static $instance = null;

	/** @return WC_Checkout */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}
}
