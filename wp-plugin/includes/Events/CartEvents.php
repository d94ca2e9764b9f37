<?php
/**
 * Abandoned carts: a cart that sits unchanged past the shop's idle time (default an hour) becomes
 * a cart event on the connector. Only for signed-in customers, and for guests who left an email or
 * phone and ticked the checkout's marketing consent box; never for a guest without consent.
 *
 * The pending abandonment is a queue row due at "last change + idle time" (the durable queue holds
 * it); a change re-arms it, an order or an emptied cart cancels it. The row's key carries the cart
 * hash, so the same contents are never reported twice.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Events;

use Nitka\WooCommerce\Queue\Queue;

defined( 'ABSPATH' ) || exit;

/** Listens to WooCommerce's cart, checkout and order hooks. */
final class CartEvents {
	const CONSENT_FIELD = 'nitka_marketing_consent';
	const SESSION_KEY   = 'nitka_cart';
	const IDLE_OPTION   = 'nitka_cart_idle_minutes';
	const DEFAULT_IDLE  = 60;

	/** Hooks with WooCommerce's signatures. */
	public static function hook() {
		add_action( 'woocommerce_cart_updated', array( self::class, 'cart_updated' ) );
		add_action( 'woocommerce_cart_emptied', array( self::class, 'cart_emptied' ) );
		add_action( 'woocommerce_checkout_update_order_review', array( self::class, 'order_review' ), 10, 1 );
		add_action( 'woocommerce_after_checkout_billing_form', array( self::class, 'consent_field' ) );
		add_action( 'woocommerce_checkout_create_order', array( self::class, 'order_consent' ), 10, 2 );
		add_action( 'woocommerce_checkout_order_processed', array( self::class, 'converted' ), 5, 1 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( self::class, 'converted' ), 5, 1 );
		add_action( 'woocommerce_new_order', array( self::class, 'order_created' ), 5, 2 );
	}

	/** @return int Seconds a cart must sit unchanged before it counts as abandoned. */
	public static function idle_seconds() {
		$minutes = (int) get_option( self::IDLE_OPTION, self::DEFAULT_IDLE );
		return max( 60, (int) apply_filters( 'nitka_cart_idle_seconds', max( 1, $minutes ) * MINUTE_IN_SECONDS ) );
	}

	/** @return string The consent box's label, also recorded with the consent. */
	public static function consent_text() {
		return __( 'Remind me about my cart and send me offers by email or messenger.', 'nitka' );
	}

	/** The checkbox under the billing fields; ticking it refreshes the order review, which brings its value back. */
	public static function consent_field() {
		printf(
			'<p class="form-row update_totals_on_change nitka-consent"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox"><input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="%1$s" id="%1$s" value="1" /> <span>%2$s</span></label></p>',
			esc_attr( self::CONSENT_FIELD ),
			esc_html( self::consent_text() )
		);
		// A changed email or phone refreshes the review too, so a consenting guest's contact is current.
		echo "<script>window.jQuery && jQuery( function ( $ ) { $( 'form.checkout' ).on( 'change', '#billing_email, #billing_phone', function () { if ( $( '#" . esc_js( self::CONSENT_FIELD ) . "' ).is( ':checked' ) ) { $( document.body ).trigger( 'update_checkout' ); } } ); } );</script>";
	}

	/** woocommerce_cart_updated fires on every cart load: act only when the contents changed. */
	public static function cart_updated() {
		$state = self::state();
		if ( null === $state ) {
			return;
		}
		$hash = (string) WC()->cart->get_cart_hash();
		if ( $state['hash'] === $hash || ( '' === $hash && empty( $state['hash'] ) ) ) {
			return; // Unchanged, or a visitor who never had a cart: no writes on ordinary page views.
		}
		$state['hash']       = $hash;
		$state['updated_at'] = time();
		self::arm( $state );
	}

	/** The cart was emptied (by the shopper, or after checkout): nothing is left to abandon. */
	public static function cart_emptied() {
		$state = self::state();
		if ( null !== $state ) {
			$state['hash'] = '';
			self::arm( $state );
		}
	}

	/**
	 * The checkout's AJAX refresh carries the form: contact and the consent box.
	 *
	 * @param string $post_data The checkout form, URL-encoded (WooCommerce has checked its nonce).
	 */
	public static function order_review( $post_data ) {
		$state = self::state();
		if ( null === $state ) {
			return;
		}
		$fields = array();
		wp_parse_str( (string) $post_data, $fields );
		$text               = static fn( $key ) => isset( $fields[ $key ] ) && is_string( $fields[ $key ] ) ? sanitize_text_field( $fields[ $key ] ) : '';
		$state['email']     = sanitize_email( $text( 'billing_email' ) );
		$state['phone']     = (string) preg_replace( '/[^0-9+\-() ]/', '', $text( 'billing_phone' ) );
		$state['firstName'] = $text( 'billing_first_name' );
		$state['lastName']  = $text( 'billing_last_name' );
		$state['consent']   = '' !== $text( self::CONSENT_FIELD );
		if ( null === $state['hash'] ) {
			$state['hash']       = (string) WC()->cart->get_cart_hash();
			$state['updated_at'] = time();
		}
		self::arm( $state );
	}

	/**
	 * Records the box on the order, so the order event carries the consent too.
	 *
	 * @param \WC_Order $order Order being created at checkout.
	 * @param array     $data  Posted checkout data.
	 */
	public static function order_consent( $order, $data ) {
		// WooCommerce verified the checkout nonce before this hook; the box is not one of its fields.
		if ( ! empty( $_POST[ self::CONSENT_FIELD ] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing
			$order->update_meta_data( '_nitka_marketing_consent', time() );
		}
	}

	/** The cart became an order: its pending abandonment is cancelled. @param int|\WC_Order $order Order or id. */
	public static function converted( $order ) {
		$state = self::state();
		if ( null !== $state ) {
			Queue::instance()->cancel_prefix( 'cart:' . $state['key'] . ':' );
		}
		$order = is_object( $order ) ? $order : wc_get_order( $order );
		if ( $order && $order->get_customer_id() ) {
			Queue::instance()->cancel_prefix( 'cart:u' . $order->get_customer_id() . ':' );
		}
	}

	/**
	 * Any new order of a signed-in customer (checkout on another device, the Store API) cancels theirs.
	 *
	 * @param int            $order_id Order id.
	 * @param \WC_Order|null $order    Order.
	 */
	public static function order_created( $order_id, $order = null ) {
		self::converted( $order ? $order : $order_id );
	}

	/**
	 * Cancels the cart's pending abandonment and, if it may be reported, queues it again, due after the idle time.
	 *
	 * @param array $state The session's cart state.
	 */
	private static function arm( array $state ) {
		$queue = Queue::instance();
		$key   = self::cart_key();
		foreach ( array_unique( array( $state['key'], $key ) ) as $previous ) {
			$queue->cancel_prefix( 'cart:' . $previous . ':' );
		}
		$state['key'] = $key;
		WC()->session->set( self::SESSION_KEY, $state );
		$cart = self::snapshot( $state );
		if ( null === $cart ) {
			return;
		}
		$queue->push( 'cart', 'cart:' . $key . ':' . $state['hash'], array( 'trigger' => 'abandoned', 'cart' => $cart ), (int) $state['updated_at'] + $cart['idleSeconds'] );
	}

	/**
	 * What the connector receives, or null when this cart must not be reported.
	 *
	 * @param array $state The session's cart state.
	 * @return array|null
	 */
	private static function snapshot( array $state ) {
		$cart = WC()->cart;
		if ( '' === $state['hash'] || $cart->is_empty() ) {
			return null;
		}
		$user     = wp_get_current_user();
		$customer = $user->ID && in_array( 'customer', (array) $user->roles, true ) ? CustomerEvents::snapshot( $user ) : null;
		$consent  = ! empty( $state['consent'] );
		if ( null === $customer && ( ! $consent || ( '' === $state['email'] && '' === $state['phone'] ) ) ) {
			return null; // A guest without consent is never reported.
		}
		if ( $user->ID && null === $customer ) {
			return null; // Staff carts are not customer activity.
		}
		$items = array();
		foreach ( $cart->get_cart() as $line ) {
			$product = isset( $line['data'] ) && is_object( $line['data'] ) ? $line['data'] : null;
			$items[] = array(
				'name'     => $product ? (string) $product->get_name() : '',
				'quantity' => (float) $line['quantity'],
				'total'    => (string) ( isset( $line['line_total'] ) ? $line['line_total'] : 0 ),
				'sku'      => $product ? (string) $product->get_sku() : '',
			);
		}
		return array(
			'cartId'      => $state['key'],
			'customerId'  => $customer ? $customer['customerId'] : 0,
			'email'       => $customer && '' === $state['email'] ? $customer['email'] : $state['email'],
			'phone'       => $customer && '' === $state['phone'] ? $customer['phone'] : $state['phone'],
			'firstName'   => $customer && '' === $state['firstName'] ? $customer['firstName'] : $state['firstName'],
			'lastName'    => $customer && '' === $state['lastName'] ? $customer['lastName'] : $state['lastName'],
			'consent'     => array( 'given' => $consent, 'text' => $consent ? self::consent_text() : '' ),
			'items'       => $items,
			'total'       => (string) $cart->get_total( 'edit' ),
			'currency'    => (string) get_woocommerce_currency(),
			'updatedAt'   => (int) $state['updated_at'],
			'idleSeconds' => self::idle_seconds(),
		);
	}

	/** @return string The customer's cart key: their user id, or a hash of the guest session (never the session id itself). */
	private static function cart_key() {
		$user_id = get_current_user_id();
		return $user_id ? 'u' . $user_id : 'g' . substr( hash( 'sha256', wp_salt( 'nonce' ) . WC()->session->get_customer_id() ), 0, 32 );
	}

	/** @return array|null The cart state kept in the WooCommerce session, or null outside a shopper's request. */
	private static function state() {
		if ( ! function_exists( 'WC' ) || ! isset( WC()->cart, WC()->session ) || ! WC()->cart || ! WC()->session ) {
			return null;
		}
		$state = WC()->session->get( self::SESSION_KEY );
		return wp_parse_args(
			is_array( $state ) ? $state : array(),
			array( 'key' => self::cart_key(), 'hash' => null, 'updated_at' => 0, 'email' => '', 'phone' => '', 'firstName' => '', 'lastName' => '', 'consent' => false )
		);
	}
}
