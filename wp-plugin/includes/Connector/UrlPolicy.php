<?php
/**
 * Which connector URLs the plugin talks to: HTTPS anywhere, plain HTTP only on loopback
 * (local development), so the shared secret and customer data never cross a network in clear.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Connector;

defined( 'ABSPATH' ) || exit;

/** URL validation for the connector. */
final class UrlPolicy {
	/**
	 * @param string $url Candidate connector URL.
	 * @return string|\WP_Error The normalized URL (no trailing slash) or why not.
	 */
	public static function normalize( $url ) {
		$url   = untrailingslashit( trim( (string) $url ) );
		$parts = wp_parse_url( $url );
		if ( ! $parts || empty( $parts['scheme'] ) || empty( $parts['host'] ) || isset( $parts['query'] ) || isset( $parts['user'] ) ) {
			return new \WP_Error( 'nitka_bad_url', __( 'Enter the connector address, e.g. https://nitka.example.com', 'nitka' ) );
		}
		$scheme = strtolower( $parts['scheme'] );
		if ( 'https' === $scheme || ( 'http' === $scheme && self::is_loopback( $parts['host'] ) ) ) {
			return $url;
		}
		return new \WP_Error( 'nitka_insecure_url', __( 'The connector must use HTTPS. Plain HTTP is allowed only for a connector on this machine (localhost).', 'nitka' ) );
	}

	/** @param string $host Host name or IP. @return bool */
	public static function is_loopback( $host ) {
		$host = strtolower( trim( $host, '[]' ) );
		return 'localhost' === $host || '::1' === $host || 1 === preg_match( '/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/', $host );
	}
}
