<?php
/**
 * The order-received ("thank you") and My Account view-order pages, reduced to the actions
 * WooCommerce fires on them: woocommerce_thankyou( $order_id ) and woocommerce_view_order( $order_id ).
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'template_redirect',
	static function () {
		$page = isset( $_GET['wc-stand-in'] ) ? sanitize_key( $_GET['wc-stand-in'] ) : ''; // phpcs:ignore WordPress.Security.NonceVerification
		if ( ! in_array( $page, array( 'order-received', 'view-order' ), true ) ) {
			return;
		}
		$order = wc_get_order( isset( $_GET['order'] ) ? absint( $_GET['order'] ) : 0 ); // phpcs:ignore WordPress.Security.NonceVerification
		$key   = isset( $_GET['key'] ) ? sanitize_text_field( wp_unslash( $_GET['key'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification
		$mine  = $order && ( ( 'order-received' === $page && hash_equals( $order->get_order_key(), $key ) ) || ( 'view-order' === $page && get_current_user_id() && get_current_user_id() === $order->get_customer_id() ) );
		status_header( $mine ? 200 : 404 );
		echo '<!doctype html><html><head><meta charset="utf-8"><title>Order</title>';
		wp_head();
		echo '</head><body class="woocommerce-page"><main class="woocommerce">';
		if ( $mine ) {
			if ( 'order-received' === $page ) {
				echo '<p class="woocommerce-thankyou-order-received">Thank you. Your order has been received.</p>';
				do_action( 'woocommerce_thankyou', $order->get_id() );
			} else {
				do_action( 'woocommerce_view_order', $order->get_id() );
			}
		} else {
			echo '<p>Order not found.</p>';
		}
		echo '</main>';
		wp_footer();
		echo '</body></html>';
		exit;
	}
);
