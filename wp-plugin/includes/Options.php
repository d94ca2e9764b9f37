<?php
/**
 * The plugin's stored settings: the pairing (connector URL, site id, sealed secret) and the link's health.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** Typed access to the plugin's options. */
final class Options {
	const PAIRING = 'nitka_pairing';
	const HEALTH  = 'nitka_health';

	/** @return array{url:string,site_id:string,tenant_id:string,tenant_name:string,paired_at:int}|null */
	public static function pairing() {
		$value = get_option( self::PAIRING );
		return is_array( $value ) && ! empty( $value['site_id'] ) ? $value : null;
	}

	/**
	 * Stores a pairing. The shared secret is sealed with a key derived from the site's salts.
	 *
	 * @param array  $pairing url, site_id, tenant_id, tenant_name.
	 * @param string $secret  The shared secret.
	 */
	public static function save_pairing( array $pairing, $secret ) {
		$pairing['secret']    = Secrets::seal( $secret );
		$pairing['paired_at'] = time();
		update_option( self::PAIRING, $pairing, false );
		update_option( self::HEALTH, array(), false );
	}

	/** @return string|null The opened shared secret. */
	public static function secret() {
		$value = get_option( self::PAIRING );
		return is_array( $value ) && isset( $value['secret'] ) ? Secrets::open( $value['secret'] ) : null;
	}

	/** Forgets the pairing. */
	public static function clear_pairing() {
		delete_option( self::PAIRING );
		delete_option( self::HEALTH );
	}

	/** @return array last_sent_at, last_error, last_error_at, verified_at */
	public static function health() {
		$value = get_option( self::HEALTH );
		return is_array( $value ) ? $value : array();
	}

	/** @param array $changes Keys to merge into the health record. */
	public static function update_health( array $changes ) {
		update_option( self::HEALTH, array_merge( self::health(), $changes ), false );
	}
}
