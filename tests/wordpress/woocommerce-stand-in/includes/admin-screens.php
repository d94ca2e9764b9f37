<?php
/**
 * The WooCommerce menu and the HPOS orders screen (admin.php?page=wc-orders). Like WooCommerce's
 * Edit_Order page it fires add_meta_boxes with the screen id and the order, then renders the
 * 'normal' and 'side' meta box contexts.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

use Automattic\WooCommerce\Utilities\OrderUtil;

add_action(
	'admin_menu',
	static function () {
		add_menu_page( 'WooCommerce', 'WooCommerce', 'edit_shop_orders', 'woocommerce', '__return_null', 'dashicons-cart', 55 );
		if ( OrderUtil::custom_orders_table_usage_is_enabled() ) {
			add_submenu_page( 'woocommerce', 'Orders', 'Orders', 'edit_shop_orders', 'wc-orders', 'wc_stand_in_orders_page' );
		}
	},
	9
);

// The edit screen's meta boxes must be registered before the page body renders.
add_action(
	'current_screen',
	static function ( $screen ) {
		if ( 'woocommerce_page_wc-orders' !== $screen->id || ! isset( $_GET['action'], $_GET['id'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		$order = wc_get_order( absint( $_GET['id'] ) ); // phpcs:ignore WordPress.Security.NonceVerification
		if ( $order ) {
			do_action( 'add_meta_boxes', $screen->id, $order );
			do_action( 'add_meta_boxes_' . $screen->id, $order );
		}
	}
);

/** Renders the HPOS orders list or one order. */
function wc_stand_in_orders_page() {
	$screen = get_current_screen();
	if ( isset( $_GET['action'], $_GET['id'] ) && 'edit' === $_GET['action'] ) { // phpcs:ignore WordPress.Security.NonceVerification
		$order = wc_get_order( absint( $_GET['id'] ) ); // phpcs:ignore WordPress.Security.NonceVerification
		if ( ! $order ) {
			wp_die( 'No such order.' );
		}
		echo '<div class="wrap"><h1 class="wp-heading-inline">Edit order #' . esc_html( $order->get_order_number() ) . '</h1>';
		echo '<div id="poststuff"><div id="post-body" class="metabox-holder columns-2">';
		echo '<div id="post-body-content"><div class="postbox"><div class="inside" id="order_data">';
		printf(
			'<p><strong>%s</strong> — %s %s — %s</p><p>%s · %s</p>',
			esc_html( $order->get_billing_first_name() . ' ' . $order->get_billing_last_name() ),
			esc_html( $order->get_total() ),
			esc_html( $order->get_currency() ),
			esc_html( wc_get_order_statuses()[ 'wc-' . $order->get_status() ] ?? $order->get_status() ),
			esc_html( $order->get_billing_email() ),
			esc_html( $order->get_billing_phone() )
		);
		echo '</div></div></div>';
		echo '<div id="postbox-container-1" class="postbox-container">';
		do_meta_boxes( $screen->id, 'side', $order );
		echo '</div><div id="postbox-container-2" class="postbox-container">';
		do_meta_boxes( $screen->id, 'normal', $order );
		echo '</div></div></div></div>';
		return;
	}
	echo '<div class="wrap"><h1>Orders</h1><ul>';
	foreach ( wc_get_orders( array( 'limit' => 20 ) ) as $order ) {
		printf( '<li><a href="%s">#%s</a></li>', esc_url( $order->get_edit_order_url() ), esc_html( $order->get_order_number() ) );
	}
	echo '</ul></div>';
}
