<?php
/**
 * WooCommerce's product, price and note functions, with their signatures (the subset the plugin calls).
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/**
 * As wc_get_products(): status, type, stock_status, visibility, include, s, orderby, order, limit,
 * page, paginate, return. Products are `product` posts (price in _price, SKU in _sku, stock in
 * _stock_status/_manage_stock/_stock, the type in _stand_in_type, hidden ones in _stand_in_visibility).
 *
 * @param array $args Query.
 * @return array|stdClass Products or ids; with paginate, an object with products, total and max_num_pages.
 */
function wc_get_products( $args ) {
	$args  = wp_parse_args( $args, array( 'status' => array( 'draft', 'pending', 'private', 'publish' ), 'limit' => get_option( 'posts_per_page' ), 'page' => 1, 'orderby' => 'date', 'order' => 'DESC', 'return' => 'objects', 'paginate' => false ) );
	$meta  = array();
	$query = array(
		'post_type'      => 'product',
		'post_status'    => $args['status'],
		'posts_per_page' => $args['limit'],
		'paged'          => $args['page'],
		'orderby'        => $args['orderby'],
		'order'          => $args['order'],
		'fields'         => 'ids',
	);
	if ( ! empty( $args['include'] ) ) {
		$query['post__in'] = array_map( 'absint', (array) $args['include'] );
	}
	if ( isset( $args['s'] ) && '' !== $args['s'] ) {
		$query['s'] = $args['s'];
	}
	if ( ! empty( $args['stock_status'] ) ) {
		$wanted = (array) $args['stock_status'];
		$meta[] = in_array( 'instock', $wanted, true )
			? array( 'relation' => 'OR', array( 'key' => '_stock_status', 'value' => $wanted, 'compare' => 'IN' ), array( 'key' => '_stock_status', 'compare' => 'NOT EXISTS' ) )
			: array( 'key' => '_stock_status', 'value' => $wanted, 'compare' => 'IN' );
	}
	if ( ! empty( $args['type'] ) ) {
		$wanted = (array) $args['type'];
		$meta[] = in_array( 'simple', $wanted, true )
			? array( 'relation' => 'OR', array( 'key' => '_stand_in_type', 'value' => $wanted, 'compare' => 'IN' ), array( 'key' => '_stand_in_type', 'compare' => 'NOT EXISTS' ) )
			: array( 'key' => '_stand_in_type', 'value' => $wanted, 'compare' => 'IN' );
	}
	if ( ! empty( $args['visibility'] ) && 'hidden' !== $args['visibility'] ) {
		// WooCommerce keeps exclude-from-catalog / exclude-from-search terms; the stand-in a meta with the same words.
		$excluded = 'search' === $args['visibility'] ? array( 'hidden', 'catalog' ) : array( 'hidden', 'search' );
		$meta[]   = array( 'relation' => 'OR', array( 'key' => '_stand_in_visibility', 'value' => $excluded, 'compare' => 'NOT IN' ), array( 'key' => '_stand_in_visibility', 'compare' => 'NOT EXISTS' ) );
	}
	if ( $meta ) {
		$query['meta_query'] = array_merge( array( 'relation' => 'AND' ), $meta ); // phpcs:ignore WordPress.DB.SlowDBQuery
	}
	$wp_query = new WP_Query( $query );
	$products = 'ids' === $args['return'] ? array_map( 'intval', $wp_query->posts ) : array_values( array_filter( array_map( 'wc_get_product', $wp_query->posts ) ) );
	if ( ! $args['paginate'] ) {
		return $products;
	}
	return (object) array( 'products' => $products, 'total' => (int) $wp_query->found_posts, 'max_num_pages' => (int) $wp_query->max_num_pages );
}

/**
 * @param WC_Product $product Product.
 * @param array      $args    qty, price.
 * @return float The price as the shop displays it (the stand-in has no taxes).
 */
function wc_get_price_to_display( $product, $args = array() ) {
	$args = wp_parse_args( $args, array( 'qty' => 1, 'price' => $product->get_price() ) );
	return (float) $args['price'] * (float) $args['qty'];
}

/** @return int The store's price decimals. */
function wc_get_price_decimals() {
	return absint( apply_filters( 'wc_get_price_decimals', get_option( 'woocommerce_price_num_decimals', 2 ) ) );
}

/**
 * @param float|string $number     Number.
 * @param int|false    $dp         Decimals, or false to leave as is.
 * @param bool         $trim_zeros Trim trailing zeros.
 * @return string
 */
function wc_format_decimal( $number, $dp = false, $trim_zeros = false ) {
	$number = (string) $number;
	if ( '' === $number ) {
		return '';
	}
	$number = false === $dp ? $number : number_format( (float) $number, (int) $dp, '.', '' );
	if ( $trim_zeros && false !== strpos( $number, '.' ) ) {
		$number = rtrim( rtrim( $number, '0' ), '.' );
	}
	return $number;
}

/** @param string $phone Phone. @return string Only the characters WooCommerce keeps. */
function wc_sanitize_phone_number( $phone ) {
	return preg_replace( '/[^\d+]/', '', (string) $phone );
}

/**
 * As wc_get_order_notes(): an order's notes, newest first.
 *
 * @param array $args order_id, type ('internal' | 'customer').
 * @return stdClass[] id, content, customer_note, added_by, date_created
 */
function wc_get_order_notes( $args ) {
	$comments = get_comments( array( 'post_id' => (int) $args['order_id'], 'type' => 'order_note', 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'DESC' ) );
	return array_map(
		static function ( $comment ) {
			return (object) array(
				'id'            => (int) $comment->comment_ID,
				'content'       => $comment->comment_content,
				'customer_note' => (bool) get_comment_meta( $comment->comment_ID, 'is_customer_note', true ),
				'added_by'      => $comment->comment_author,
				'date_created'  => new WC_DateTime( $comment->comment_date_gmt, new DateTimeZone( 'UTC' ) ),
			);
		},
		$comments
	);
}
