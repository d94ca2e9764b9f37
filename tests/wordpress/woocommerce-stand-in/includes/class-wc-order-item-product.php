<?php
/**
 * WC_Order_Item_Product: one line of an order.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Order_Item_Product (read-only here). */
class WC_Order_Item_Product {
	/** @var array */
	private $data;

	/** @param array $data name, quantity, total, sku. */
	public function __construct( array $data ) {
		$this->data = wp_parse_args( $data, array( 'name' => '', 'quantity' => 1, 'total' => '0', 'sku' => '' ) );
	}

	/** @return string */
	public function get_name() {
		return (string) $this->data['name'];
	}

	/** @return int|float */
	public function get_quantity() {
		return $this->data['quantity'];
	}

	/** @return string Line total as WooCommerce stores it (a decimal string). */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/** The stand-in keeps no product rows; a product with the item's SKU stands in. @return WC_Product|false */
	public function get_product() {
		return '' === $this->data['sku'] ? false : new WC_Product( (string) $this->data['sku'] );
	}

	/** @return array */
	public function get_data() {
		return $this->data;
	}
}

/** Stand-in for WC_Product: a product post (_price, _sku meta), or an order line's SKU alone. */
class WC_Product {
	/** @var int */
	private $id = 0;

	/** @var string */
	private $sku = '';

	/** @var string */
	private $name = '';

	/** @var string */
	private $price = '0';

	/** @param int|string $product A product post id, or (order lines) a SKU. */
	public function __construct( $product = 0 ) {
		if ( is_int( $product ) || ctype_digit( (string) $product ) ) {
			$post = get_post( (int) $product );
			if ( ! $post || 'product' !== $post->post_type ) {
				throw new Exception( 'Invalid product.' );
			}
			$this->id    = (int) $post->ID;
			$this->name  = $post->post_title;
			$this->sku   = (string) get_post_meta( $post->ID, '_sku', true );
			$this->price = (string) get_post_meta( $post->ID, '_price', true );
			return;
		}
		$this->sku = (string) $product;
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string */
	public function get_name() {
		return $this->name;
	}

	/** @return string */
	public function get_price() {
		return $this->price;
	}

	/** @return string */
	public function get_sku() {
		return $this->sku;
	}
}
