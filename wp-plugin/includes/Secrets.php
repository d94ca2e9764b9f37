<?php
/**
 * Seals the shared secret at rest with libsodium, keyed from the site's AUTH salts, so a database
 * dump alone does not reveal it. Without libsodium it is stored as is (marked so).
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** Secret sealing for options. */
final class Secrets {
	/** @param string $plain Secret. @return string */
	public static function seal( $plain ) {
		if ( ! function_exists( 'sodium_crypto_secretbox' ) ) {
			return 'plain:' . base64_encode( $plain ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		}
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return 'sb1:' . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, self::key() ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
	}

	/** @param string $sealed Sealed value. @return string|null */
	public static function open( $sealed ) {
		if ( 0 === strpos( $sealed, 'plain:' ) ) {
			return base64_decode( substr( $sealed, 6 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		}
		if ( 0 !== strpos( $sealed, 'sb1:' ) || ! function_exists( 'sodium_crypto_secretbox_open' ) ) {
			return null;
		}
		$raw   = base64_decode( substr( $sealed, 4 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		$plain = sodium_crypto_secretbox_open( substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), self::key() );
		return false === $plain ? null : $plain;
	}

	/** @return string 32 bytes. */
	private static function key() {
		return hash( 'sha256', 'nitka-secret|' . wp_salt( 'auth' ), true );
	}
}
