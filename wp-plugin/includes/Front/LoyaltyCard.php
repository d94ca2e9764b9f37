<?php
/**
 * My Account → "Loyalty card": the logged-in customer's QR for the shop counter and their loyalty
 * number. The connector keeps the card (the customer with this WooCommerce id, created when it does
 * not know them yet); the QR image comes from the connector and is a fresh single-use token on every
 * load, so the page swaps it every 30 seconds and a screenshot soon stops working.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Front;

use Nitka\WooCommerce\Connector\Client;
use Nitka\WooCommerce\Options;

defined( 'ABSPATH' ) || exit;

/** The My Account endpoint. */
final class LoyaltyCard {
	const ENDPOINT = 'loyalty-card';
	/** The card links live 30 days on the connector; the plugin asks again well before. */
	const CACHE_SECONDS = DAY_IN_SECONDS;
	const REFRESH_MS    = 30000;
	/** Bumped when the endpoint list changes, so rewrite rules are flushed once. */
	const REWRITE_VERSION = '1';

	/** Hooks. */
	public static function hook() {
		add_filter( 'woocommerce_get_query_vars', array( self::class, 'query_vars' ) );
		add_filter( 'woocommerce_account_menu_items', array( self::class, 'menu_items' ), 20 );
		add_filter( 'woocommerce_endpoint_' . self::ENDPOINT . '_title', array( self::class, 'title' ) );
		add_action( 'woocommerce_account_' . self::ENDPOINT . '_endpoint', array( self::class, 'render' ) );
		add_action( 'init', array( self::class, 'maybe_flush_rewrites' ), 99 );
	}

	/**
	 * WooCommerce adds a rewrite endpoint for each of its query vars (My Account → /loyalty-card/).
	 *
	 * @param array $vars Query vars.
	 * @return array
	 */
	public static function query_vars( $vars ) {
		$vars[ self::ENDPOINT ] = self::ENDPOINT;
		return $vars;
	}

	/** Pretty permalinks know the new endpoint only after a flush: done once per endpoint version. */
	public static function maybe_flush_rewrites() {
		if ( get_option( 'nitka_rewrite_version' ) !== self::REWRITE_VERSION ) {
			flush_rewrite_rules( false );
			update_option( 'nitka_rewrite_version', self::REWRITE_VERSION );
		}
	}

	/**
	 * The tab, before "Log out", once the shop is paired.
	 *
	 * @param array $items Menu items (endpoint => label).
	 * @return array
	 */
	public static function menu_items( $items ) {
		if ( ! Options::pairing() ) {
			return $items;
		}
		$out = array();
		foreach ( $items as $key => $label ) {
			if ( 'customer-logout' === $key ) {
				$out[ self::ENDPOINT ] = self::title();
			}
			$out[ $key ] = $label;
		}
		if ( ! isset( $out[ self::ENDPOINT ] ) ) {
			$out[ self::ENDPOINT ] = self::title();
		}
		return $out;
	}

	/** @return string */
	public static function title() {
		return __( 'Loyalty card', 'nitka' );
	}

	/**
	 * The customer's card from the connector (cached a day per user; the links live 30 days).
	 *
	 * @param int $user_id WordPress user id (= WooCommerce customer id).
	 * @return array|null cardUrl, qrUrl, loyaltyNumber, or null when the connector cannot say.
	 */
	public static function card( $user_id ) {
		$user_id = (int) $user_id;
		if ( $user_id <= 0 || ! Options::pairing() ) {
			return null;
		}
		$pairing = Options::pairing();
		$key     = 'nitka_card_' . $user_id . '_' . substr( md5( (string) ( $pairing['site_id'] ?? '' ) ), 0, 8 );
		$cached  = get_transient( $key );
		if ( is_array( $cached ) && ! empty( $cached['qrUrl'] ) ) {
			return $cached;
		}
		$answer = Client::request( 'POST', '/api/v1/woocommerce/card', array( 'wcCustomerId' => (string) $user_id ), 5 );
		if ( is_wp_error( $answer ) || empty( $answer['qrUrl'] ) || empty( $answer['loyaltyNumber'] ) ) {
			return null; // My Account never breaks over the card.
		}
		$card = array(
			'cardUrl'       => (string) $answer['cardUrl'],
			'qrUrl'         => (string) $answer['qrUrl'],
			'loyaltyNumber' => (string) $answer['loyaltyNumber'],
		);
		set_transient( $key, $card, self::CACHE_SECONDS );
		return $card;
	}

	/** `2123456789012` → `2 123456 789012`, as printed under an EAN-13. */
	public static function group_number( $number ) {
		return preg_match( '/^\d{13}$/', $number ) ? substr( $number, 0, 1 ) . ' ' . substr( $number, 1, 6 ) . ' ' . substr( $number, 7 ) : $number;
	}

	/** The tab's content. */
	public static function render() {
		$card = self::card( get_current_user_id() );
		if ( ! $card ) {
			echo '<p class="woocommerce-info nitka-card__unavailable">' . esc_html__( 'Your loyalty card is unavailable right now. Please try again later.', 'nitka' ) . '</p>';
			return;
		}
		wp_enqueue_script( 'nitka-loyalty-card', plugins_url( 'assets/loyalty-card.js', NITKA_FILE ), array(), NITKA_VERSION, true );
		echo '<section class="nitka-card">';
		echo '<p>' . esc_html__( 'Show this QR code at the counter. It changes every 30 seconds, so a screenshot will not work.', 'nitka' ) . '</p>';
		printf(
			'<p><img class="nitka-card__qr" src="%1$s" data-src="%1$s" data-refresh-ms="%2$d" width="240" height="240" alt="%3$s" referrerpolicy="no-referrer"></p>',
			esc_url( $card['qrUrl'] ),
			(int) self::REFRESH_MS,
			esc_attr__( 'Loyalty card QR code', 'nitka' )
		);
		printf(
			'<p class="nitka-card__number">%1$s <strong>%2$s</strong></p>',
			esc_html__( 'Card number:', 'nitka' ),
			esc_html( self::group_number( $card['loyaltyNumber'] ) )
		);
		printf(
			'<p><a class="button nitka-card__open" href="%1$s" target="_blank" rel="noopener noreferrer">%2$s</a></p>',
			esc_url( $card['cardUrl'] ),
			esc_html__( 'Open the card on your phone', 'nitka' )
		);
		echo '</section>';
	}
}
