<?php
/**
 * The shopper's path, reduced to what WooCommerce does on it: ?add-to-cart= (WC_Form_Handler on
 * wp_loaded), the checkout page (?wc-stand-in=checkout) with woocommerce_after_checkout_billing_form,
 * and the wc-ajax endpoints update_order_review (woocommerce_checkout_update_order_review with the
 * form as post_data) and checkout (woocommerce_checkout_create_order, then
 * woocommerce_checkout_order_processed, then the cart is emptied), each behind WooCommerce's nonce.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'wp_loaded',
	static function () {
		if ( empty( $_REQUEST['add-to-cart'] ) || ! WC()->cart ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		$quantity = empty( $_REQUEST['quantity'] ) ? 1 : absint( $_REQUEST['quantity'] ); // phpcs:ignore WordPress.Security.NonceVerification
		WC()->cart->add_to_cart( absint( $_REQUEST['add-to-cart'] ), $quantity ); // phpcs:ignore WordPress.Security.NonceVerification
		wp_safe_redirect( add_query_arg( 'wc-stand-in', 'checkout', home_url( '/' ) ) );
		exit;
	},
	20
);

// WC_AJAX: ?wc-ajax=<action> runs wc_ajax_<action> early on template_redirect.
add_action(
	'template_redirect',
	static function () {
		if ( empty( $_GET['wc-ajax'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		if ( ! defined( 'DOING_AJAX' ) ) {
			define( 'DOING_AJAX', true );
		}
		do_action( 'wc_ajax_' . sanitize_text_field( wp_unslash( $_GET['wc-ajax'] ) ) ); // phpcs:ignore WordPress.Security.NonceVerification
		wp_die();
	},
	0
);

add_action(
	'wc_ajax_update_order_review',
	static function () {
		check_ajax_referer( 'update-order-review', 'security' );
		do_action( 'woocommerce_checkout_update_order_review', isset( $_POST['post_data'] ) ? wp_unslash( $_POST['post_data'] ) : '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		wp_send_json( array( 'result' => 'success', 'fragments' => array() ) );
	}
);

add_action(
	'wc_ajax_checkout',
	static function () {
		$nonce = isset( $_POST['woocommerce-process-checkout-nonce'] ) ? sanitize_text_field( wp_unslash( $_POST['woocommerce-process-checkout-nonce'] ) ) : '';
		if ( ! wp_verify_nonce( $nonce, 'woocommerce-process_checkout' ) || WC()->cart->is_empty() ) {
			wp_send_json( array( 'result' => 'failure', 'messages' => 'We were unable to process your order, please try again.' ) );
		}
		$data  = array();
		$order = new WC_Order();
		foreach ( array( 'first_name', 'last_name', 'email', 'phone' ) as $field ) {
			$data[ 'billing_' . $field ] = isset( $_POST[ 'billing_' . $field ] ) ? sanitize_text_field( wp_unslash( $_POST[ 'billing_' . $field ] ) ) : '';
			$order->{'set_billing_' . $field}( $data[ 'billing_' . $field ] );
		}
		$order->set_customer_id( get_current_user_id() );
		$order->set_currency( get_woocommerce_currency() );
		$order->set_total( (string) WC()->cart->get_total( 'edit' ) );
		foreach ( WC()->cart->get_cart() as $line ) {
			$order->add_stand_in_item( array( 'name' => $line['data']->get_name(), 'quantity' => $line['quantity'], 'total' => (string) $line['line_total'], 'sku' => $line['data']->get_sku() ) );
		}
		do_action( 'woocommerce_checkout_create_order', $order, $data );
		$order_id = $order->save();
		do_action( 'woocommerce_checkout_update_order_meta', $order_id, $data );
		do_action( 'woocommerce_checkout_order_processed', $order_id, $data, $order );
		$order->update_status( 'processing' );
		WC()->cart->empty_cart();
		wp_send_json( array( 'result' => 'success', 'order_id' => $order_id, 'redirect' => $order->get_checkout_order_received_url() ) );
	}
);

add_action(
	'template_redirect',
	static function () {
		if ( ! isset( $_GET['wc-stand-in'] ) || 'checkout' !== $_GET['wc-stand-in'] || ! WC()->cart ) { // phpcs:ignore WordPress.Security.NonceVerification
			return;
		}
		echo '<!doctype html><html><head><meta charset="utf-8"><title>Checkout</title>';
		printf( '<script>var wc_checkout_params = %s;</script>', wp_json_encode( array( 'wc_ajax_url' => add_query_arg( 'wc-ajax', '%%endpoint%%', home_url( '/' ) ), 'update_order_review_nonce' => wp_create_nonce( 'update-order-review' ) ) ) );
		wp_head();
		echo '</head><body class="woocommerce-checkout"><form name="checkout" method="post" class="checkout woocommerce-checkout"><ul class="cart">';
		foreach ( WC()->cart->get_cart() as $line ) {
			printf( '<li>%s × %s</li>', esc_html( $line['data']->get_name() ), esc_html( $line['quantity'] ) );
		}
		echo '</ul><div class="woocommerce-billing-fields">';
		foreach ( array( 'first_name', 'last_name', 'email', 'phone' ) as $field ) {
			printf( '<p class="form-row"><input type="text" class="input-text" name="billing_%1$s" id="billing_%1$s" /></p>', esc_attr( $field ) );
		}
		do_action( 'woocommerce_after_checkout_billing_form', WC()->checkout() );
		echo '</div>';
		wp_nonce_field( 'woocommerce-process_checkout', 'woocommerce-process-checkout-nonce' );
		echo '<button type="submit" id="place_order">Place order</button></form>';
		wp_footer();
		echo '</body></html>';
		exit;
	}
);
