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
		$this->data = wp_parse_args( $data, array( 'name' => '', 'quantity' => 1, 'total' => '0', 'sku' => '', 'product_id' => 0 ) );
	}

	/** @return int The product's id (0 for the stand-in's SKU-only lines). */
	public function get_product_id() {
		return (int) $this->data['product_id'];
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

	/** The line's product; SKU-only lines (the stand-in's test orders) get a product with that SKU. @return WC_Product|false */
	public function get_product() {
		if ( $this->data['product_id'] ) {
			return wc_get_product( $this->data['product_id'] );
		}
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

	/** @var string */
	private $status = '';

	/** @param int|string $product A product post id, or (order lines) a SKU. */
	public function __construct( $product = 0 ) {
		if ( is_int( $product ) || ctype_digit( (string) $product ) ) {
			$post = get_post( (int) $product );
			if ( ! $post || 'product' !== $post->post_type ) {
				throw new Exception( 'Invalid product.' );
			}
			$this->id     = (int) $post->ID;
			$this->name   = $post->post_title;
			$this->status = $post->post_status;
			$this->sku    = (string) get_post_meta( $post->ID, '_sku', true );
			$this->price  = (string) get_post_meta( $post->ID, '_price', true );
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

	/** @return string publish, draft, private… */
	public function get_status() {
		return $this->status;
	}

	/** @return string simple, variable… (the stand-in keeps it in _stand_in_type; WooCommerce in the product_type taxonomy). */
	public function get_type() {
		$type = $this->id ? (string) get_post_meta( $this->id, '_stand_in_type', true ) : '';
		return '' === $type ? 'simple' : $type;
	}

	/** As WC_Product::is_purchasable(): exists, published (or private for editors) and priced. @return bool */
	public function is_purchasable() {
		return (bool) apply_filters( 'woocommerce_is_purchasable', $this->id > 0 && 'publish' === $this->status && '' !== $this->price, $this );
	}

	/** @return string instock, outofstock, onbackorder */
	public function get_stock_status() {
		$status = $this->id ? (string) get_post_meta( $this->id, '_stock_status', true ) : '';
		return '' === $status ? 'instock' : $status;
	}

	/** @return bool */
	public function is_in_stock() {
		return 'outofstock' !== $this->get_stock_status();
	}

	/** @return bool */
	public function managing_stock() {
		return $this->id && 'yes' === get_post_meta( $this->id, '_manage_stock', true );
	}

	/** @return int|null */
	public function get_stock_quantity() {
		return $this->managing_stock() ? (int) get_post_meta( $this->id, '_stock', true ) : null;
	}

	/** @param int|float $quantity Quantity. @return bool */
	public function has_enough_stock( $quantity ) {
		return ! $this->managing_stock() || 'onbackorder' === $this->get_stock_status() || $this->get_stock_quantity() >= $quantity;
	}

	/** @return int Attachment id of the main image. */
	public function get_image_id() {
		return $this->id ? (int) get_post_meta( $this->id, '_thumbnail_id', true ) : 0;
	}

	/** @return string */
	public function get_permalink() {
		return $this->id ? (string) get_permalink( $this->id ) : '';
	}
}
