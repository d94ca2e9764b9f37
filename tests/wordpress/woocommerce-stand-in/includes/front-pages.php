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

/**
 * My Account, reduced to what WooCommerce does with endpoints: the query vars come from the
 * `woocommerce_get_query_vars` filter (an unknown endpoint is a 404), the navigation from
 * `woocommerce_account_menu_items`, the title from `woocommerce_endpoint_{$key}_title` and the
 * content from `woocommerce_account_{$key}_endpoint`. Logged-in customers only, like the real page.
 * URL: `?wc-stand-in=my-account&endpoint=<key>` (what wc_get_account_endpoint_url() returns here).
 */
add_action(
	'template_redirect',
	static function () {
		if ( ! isset( $_GET['wc-stand-in'] ) || 'my-account' !== sanitize_key( $_GET['wc-stand-in'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		$endpoint = isset( $_GET['endpoint'] ) ? sanitize_key( $_GET['endpoint'] ) : ''; // phpcs:ignore WordPress.Security.NonceVerification
		$vars     = apply_filters( 'woocommerce_get_query_vars', array( 'orders' => 'orders', 'view-order' => 'view-order', 'edit-account' => 'edit-account', 'customer-logout' => 'customer-logout' ) );
		if ( ! is_user_logged_in() ) {
			status_header( 403 );
			echo '<!doctype html><html><body><p>Please log in.</p></body></html>';
			exit;
		}
		$known = '' === $endpoint || isset( $vars[ $endpoint ] );
		status_header( $known ? 200 : 404 );
		$items = apply_filters( 'woocommerce_account_menu_items', array( 'dashboard' => 'Dashboard', 'orders' => 'Orders', 'edit-account' => 'Account details', 'customer-logout' => 'Log out' ), array() );
		echo '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>My account</title>';
		wp_head();
		echo '</head><body class="woocommerce-account woocommerce-page"><main class="woocommerce"><nav class="woocommerce-MyAccount-navigation"><ul>';
		foreach ( $items as $key => $label ) {
			printf( '<li class="woocommerce-MyAccount-navigation-link--%1$s"><a href="%2$s">%3$s</a></li>', esc_attr( $key ), esc_url( wc_get_account_endpoint_url( $key ) ), esc_html( $label ) );
		}
		echo '</ul></nav><div class="woocommerce-MyAccount-content">';
		if ( $known && '' !== $endpoint ) {
			echo '<h2>' . esc_html( apply_filters( 'woocommerce_endpoint_' . $endpoint . '_title', $endpoint, $endpoint, '' ) ) . '</h2>';
			do_action( 'woocommerce_account_' . $endpoint . '_endpoint', '' );
		} elseif ( ! $known ) {
			echo '<p>Page not found.</p>';
		}
		echo '</div></main>';
		wp_footer();
		echo '</body></html>';
		exit;
	}
);

if ( ! function_exists( 'wc_get_account_endpoint_url' ) ) {
	/** The stand-in's My Account URL of an endpoint. */
	function wc_get_account_endpoint_url( $endpoint ) {
		$args = array( 'wc-stand-in' => 'my-account' );
		if ( 'dashboard' !== $endpoint ) {
			$args['endpoint'] = $endpoint; // The dashboard is My Account itself.
		}
		return add_query_arg( $args, home_url( '/' ) );
	}
}
