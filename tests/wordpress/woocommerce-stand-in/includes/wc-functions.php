<?php
/**
 * WooCommerce's global functions, with their signatures (the subset the plugin calls).
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** @return array status key (wc-*) => label */
function wc_get_order_statuses() {
	return apply_filters(
		'wc_order_statuses',
		array(
			'wc-pending'        => 'Pending payment',
			'wc-processing'     => 'Processing',
			'wc-on-hold'        => 'On hold',
			'wc-completed'      => 'Completed',
			'wc-cancelled'      => 'Cancelled',
			'wc-refunded'       => 'Refunded',
			'wc-failed'         => 'Failed',
			'wc-checkout-draft' => 'Draft',
		)
	);
}

/**
 * @param array $args status, customer_id, created_via… plus the stand-in's billing, total, currency, items.
 * @return WC_Order|WP_Error
 */
function wc_create_order( $args = array() ) {
	$order = new WC_Order();
	$order->set_status( isset( $args['status'] ) ? $args['status'] : 'pending' );
	foreach ( array( 'customer_id', 'total', 'currency' ) as $key ) {
		if ( isset( $args[ $key ] ) ) {
			$order->{'set_' . $key}( $args[ $key ] );
		}
	}
	foreach ( isset( $args['billing'] ) ? $args['billing'] : array() as $key => $value ) {
		$order->{'set_billing_' . $key}( $value );
	}
	foreach ( isset( $args['items'] ) ? $args['items'] : array() as $item ) {
		$order->add_stand_in_item( $item );
	}
	$order->save();
	return $order;
}

/** @param mixed $the_order Id or object. @return WC_Order|WC_Order_Refund|false */
function wc_get_order( $the_order = false ) {
	$id   = $the_order instanceof WC_Order ? $the_order->get_id() : absint( $the_order );
	$type = $id ? get_post_type( $id ) : false;
	try {
		if ( 'shop_order' === $type ) {
			return new WC_Order( $id );
		}
		if ( 'shop_order_refund' === $type ) {
			return new WC_Order_Refund( $id );
		}
	} catch ( Exception $e ) {
		return false;
	}
	return false;
}

/**
 * @param array $args limit, page/paged, orderby, order, return ('ids'|'objects'), paginate, customer_id, status, meta_query.
 * @return array|stdClass Orders or ids; with paginate, an object with orders, total and max_num_pages.
 */
function wc_get_orders( $args ) {
	$args  = wp_parse_args( $args, array( 'limit' => 10, 'page' => 1, 'orderby' => 'date', 'order' => 'DESC', 'return' => 'objects', 'paginate' => false, 'type' => 'shop_order' ) );
	$query = array(
		'post_type'      => $args['type'],
		'post_status'    => isset( $args['status'] ) ? array_map( static fn( $s ) => 'wc-' . $s, (array) $args['status'] ) : array_keys( wc_get_order_statuses() ),
		'posts_per_page' => $args['limit'],
		'paged'          => isset( $args['paged'] ) ? $args['paged'] : $args['page'],
		'orderby'        => $args['orderby'],
		'order'          => $args['order'],
		'fields'         => 'ids',
	);
	$meta = isset( $args['meta_query'] ) ? (array) $args['meta_query'] : array();
	if ( isset( $args['customer_id'] ) ) {
		$meta[] = array( 'key' => '_customer_user', 'value' => (int) $args['customer_id'] );
	}
	if ( $meta ) {
		$query['meta_query'] = $meta; // phpcs:ignore WordPress.DB.SlowDBQuery
	}
	$wp_query = new WP_Query( $query );
	$orders   = 'ids' === $args['return'] ? array_map( 'intval', $wp_query->posts ) : array_map( 'wc_get_order', $wp_query->posts );
	if ( ! $args['paginate'] ) {
		return $orders;
	}
	return (object) array( 'orders' => $orders, 'total' => (int) $wp_query->found_posts, 'max_num_pages' => (int) $wp_query->max_num_pages );
}

/**
 * @param array $args amount, reason, order_id.
 * @return WC_Order_Refund|WP_Error
 */
function wc_create_refund( $args = array() ) {
	$order = wc_get_order( $args['order_id'] );
	if ( ! $order ) {
		return new WP_Error( 'error', 'Invalid order ID.' );
	}
	$refund = new WC_Order_Refund();
	$refund->set_parent_id( $order->get_id() );
	$refund->set_amount( (string) $args['amount'] );
	$refund->set_reason( isset( $args['reason'] ) ? $args['reason'] : '' );
	$refund->set_currency( $order->get_currency() );
	$refund->save();
	do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );
	if ( (float) $order->get_total_refunded() >= (float) $order->get_total() ) {
		do_action( 'woocommerce_order_fully_refunded', $order->get_id(), $refund->get_id() );
		$order->update_status( 'refunded' );
	} else {
		do_action( 'woocommerce_order_partially_refunded', $order->get_id(), $refund->get_id() );
	}
	return $refund;
}

/** @param string $for 'shop-order'. @return string The admin screen id. */
function wc_get_page_screen_id( $for ) {
	return 'shop-order' === $for ? Automattic\WooCommerce\Utilities\OrderUtil::get_order_admin_screen() : 'woocommerce_page_' . $for;
}

/** @param mixed $the_product Product id. @return WC_Product|null|false */
function wc_get_product( $the_product = false ) {
	try {
		return $the_product ? new WC_Product( absint( $the_product ) ) : false;
	} catch ( Exception $e ) {
		return null;
	}
}

/** @return string The store's currency code. */
function get_woocommerce_currency() {
	return apply_filters( 'woocommerce_currency', get_option( 'woocommerce_currency', 'RUB' ) );
}
