<?php
/**
 * Request signatures, the same both ways (plugin → connector and connector → plugin):
 *
 *     v1=hex( HMAC-SHA256( secret, "v1\n" . METHOD . "\n" . PATH . "\n" . TIMESTAMP . "\n" . NONCE . "\n" . hex(SHA256(body)) ) )
 *
 * PATH is the URL path with its query for calls to the connector, and the REST route
 * (e.g. /nitka/v1/connector/ping) for calls to the plugin. A signature is good for five
 * minutes either side of the receiver's clock, and each nonce is accepted once.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Connector;

defined( 'ABSPATH' ) || exit;

/** HMAC-SHA256 request signing and verification. */
final class Signer {
	const WINDOW_SECONDS = 300;

	/**
	 * @param string $secret Shared secret.
	 * @param string $method HTTP method.
	 * @param string $path   Path (and query) or REST route.
	 * @param int    $timestamp Unix seconds.
	 * @param string $nonce  Random, single use.
	 * @param string $body   Raw body ('' when none).
	 * @return string "v1=<hex>"
	 */
	public static function sign( $secret, $method, $path, $timestamp, $nonce, $body ) {
		$canonical = implode( "\n", array( 'v1', strtoupper( $method ), $path, (string) $timestamp, $nonce, hash( 'sha256', $body ) ) );
		return 'v1=' . hash_hmac( 'sha256', $canonical, $secret );
	}

	/**
	 * Headers for a signed request.
	 *
	 * @return array<string,string>
	 */
	public static function headers( $site_id, $secret, $method, $path, $body ) {
		$timestamp = time();
		$nonce     = bin2hex( random_bytes( 16 ) );
		return array(
			'X-Nitka-Site'      => $site_id,
			'X-Nitka-Timestamp' => (string) $timestamp,
			'X-Nitka-Nonce'     => $nonce,
			'X-Nitka-Signature' => self::sign( $secret, $method, $path, $timestamp, $nonce, $body ),
		);
	}

	/**
	 * Checks a signature in constant time, and the timestamp against the replay window.
	 * Nonce reuse is checked by the caller (it needs storage).
	 *
	 * @return true|string True, or why not.
	 */
	public static function verify( $secret, $method, $path, $timestamp, $nonce, $body, $signature, $now = null ) {
		$now = null === $now ? time() : $now;
		if ( ! ctype_digit( (string) $timestamp ) || abs( $now - (int) $timestamp ) > self::WINDOW_SECONDS ) {
			return 'timestamp outside the replay window';
		}
		if ( ! preg_match( '/^[A-Za-z0-9_-]{16,64}$/', (string) $nonce ) ) {
			return 'missing or malformed nonce';
		}
		$expected = self::sign( $secret, $method, $path, (int) $timestamp, $nonce, $body );
		return hash_equals( $expected, (string) $signature ) ? true : 'bad signature';
	}
}
