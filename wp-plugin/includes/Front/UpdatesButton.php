<?php
/**
 * "Get order updates in Telegram / VK" on the thank-you page, in My Account (view-order, and an
 * action in the orders list) and in the customer's order emails: a single-use
 * deep-link token bound to this order, issued by the connector when the page renders.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Front;

use Nitka\WooCommerce\Connector\Client;
use Nitka\WooCommerce\Events\OrderSnapshot;
use Nitka\WooCommerce\Options;

defined( 'ABSPATH' ) || exit;

/** The storefront button. */
final class UpdatesButton {
	const LABELS = array( 'telegram' => 'Telegram', 'vk' => 'VK', 'max' => 'MAX' );

	/** Hooks. */
	public static function hook() {
		add_action( 'woocommerce_thankyou', array( self::class, 'render' ), 20 );
		add_action( 'woocommerce_view_order', array( self::class, 'render' ), 20 );
		add_action( 'woocommerce_email_after_order_table', array( self::class, 'email' ), 20, 4 );
		add_filter( 'woocommerce_my_account_my_orders_actions', array( self::class, 'account_action' ), 20, 2 );
	}

	/**
	 * The same button in the customer's order emails (never in the admin's copy).
	 *
	 * @param \WC_Order $order         Order.
	 * @param bool      $sent_to_admin Whether this is the admin's copy.
	 * @param bool      $plain_text    Plain-text email.
	 * @param mixed     $email         WC_Email.
	 */
	public static function email( $order, $sent_to_admin = false, $plain_text = false, $email = null ) {
		if ( $sent_to_admin || ! $order || ! is_callable( array( $order, 'get_id' ) ) ) {
			return;
		}
		if ( $plain_text ) {
			foreach ( self::links( $order->get_id() ) as $channel => $url ) {
				/* translators: %s: messenger name */
				echo esc_html( sprintf( __( 'Get order updates in %s', 'nitka' ), self::LABELS[ $channel ] ) ) . ': ' . esc_url_raw( $url ) . "\n";
			}
			return;
		}
		self::render( $order->get_id() );
	}

	/**
	 * My Account → Orders: an action to the order's page, where the single-use link is issued (one connector call per view, not per row).
	 *
	 * @param array     $actions Row actions.
	 * @param \WC_Order $order   Order.
	 * @return array
	 */
	public static function account_action( $actions, $order ) {
		if ( Options::pairing() && $order && is_callable( array( $order, 'get_view_order_url' ) ) ) {
			$actions['nitka-updates'] = array(
				'url'  => $order->get_view_order_url(),
				'name' => __( 'Updates in a messenger', 'nitka' ),
			);
		}
		return $actions;
	}

	/**
	 * A fresh single-use token bound to the order, as links per messenger.
	 *
	 * @param int $order_id Order id.
	 * @return array<string,string> channel => URL
	 */
	public static function links( $order_id ) {
		$order = $order_id && Options::pairing() ? wc_get_order( $order_id ) : false;
		if ( ! $order ) {
			return array();
		}
		// The snapshot lets the connector bind the token even before the queued order event arrives.
		$answer = Client::request( 'POST', '/api/v1/woocommerce/links', array( 'order' => OrderSnapshot::of( $order ) ), 5 );
		if ( is_wp_error( $answer ) || empty( $answer['links'] ) ) {
			return array(); // The shop page never breaks over this button.
		}
		$links = array();
		foreach ( $answer['links'] as $link ) {
			if ( isset( $link['channel'], $link['url'], self::LABELS[ $link['channel'] ] ) ) {
				$links[ $link['channel'] ] = (string) $link['url'];
			}
		}
		return $links;
	}

	/** @param int $order_id Order id. */
	public static function render( $order_id ) {
		$links = self::links( $order_id );
		if ( ! $links ) {
			return;
		}
		echo '<section class="nitka-updates"><h2>' . esc_html__( 'Get order updates in a messenger', 'nitka' ) . '</h2><p>';
		foreach ( $links as $channel => $url ) {
			printf(
				'<a class="button nitka-updates__%1$s" href="%2$s" rel="nofollow noopener" target="_blank">%3$s</a> ',
				esc_attr( $channel ),
				esc_url( $url ),
				/* translators: %s: messenger name */
				esc_html( sprintf( __( 'Get order updates in %s', 'nitka' ), self::LABELS[ $channel ] ) )
			);
		}
		echo '</p></section>';
	}
}
