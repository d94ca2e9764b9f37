<?php
/**
 * Calls from the connector to the plugin, signed with the shared secret (the same scheme as the
 * plugin's own calls; the signed path is the REST route). Today: the ping that proves to the
 * connector that this site holds the pairing, and lets the settings screen show "verified".
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Connector\Signer;
use Nitka\WooCommerce\Install\Schema;
use Nitka\WooCommerce\Options;
use Nitka\WooCommerce\Queue\Queue;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/connector/* */
final class ConnectorController {
	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		register_rest_route(
			$ns,
			'/connector/ping',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'ping' ),
				'permission_callback' => array( self::class, 'verify' ),
			)
		);
	}

	/**
	 * Permission: a valid signature by the paired connector, fresh and never seen before.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public static function verify( $request ) {
		$pairing = Options::pairing();
		$secret  = Options::secret();
		if ( ! $pairing || ! $secret || ! hash_equals( $pairing['site_id'], (string) $request->get_header( 'x_nitka_site' ) ) ) {
			return new \WP_Error( 'nitka_unknown_site', 'not paired with this connector', array( 'status' => 401 ) );
		}
		$nonce  = (string) $request->get_header( 'x_nitka_nonce' );
		$result = Signer::verify( $secret, $request->get_method(), $request->get_route(), (string) $request->get_header( 'x_nitka_timestamp' ), $nonce, $request->get_body(), (string) $request->get_header( 'x_nitka_signature' ) );
		if ( true !== $result ) {
			return new \WP_Error( 'nitka_bad_signature', $result, array( 'status' => 401 ) );
		}
		return self::remember_nonce( $nonce ) ? true : new \WP_Error( 'nitka_replay', 'nonce already used', array( 'status' => 401 ) );
	}

	/**
	 * Records a nonce as seen; false when it was seen before. Atomic: the nonce is the primary key
	 * of the nonces table, so of two concurrent requests carrying the same nonce exactly one insert
	 * takes (INSERT IGNORE affects one row or none). Entries older than twice the replay window are
	 * dropped first (a timestamp that old fails the signature check anyway). Fails closed when the
	 * table cannot be written.
	 *
	 * @param string $nonce The request's nonce (already checked against Signer's pattern).
	 * @return bool
	 */
	public static function remember_nonce( $nonce ) {
		global $wpdb;
		$table = Schema::nonces_table();
		$now   = time();
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE seen_at < %d", $now - 2 * Signer::WINDOW_SECONDS ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (nonce, seen_at) VALUES (%s, %d)", $nonce, $now ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery
		return 1 === $inserted;
	}

	/** @return array */
	public static function ping() {
		Options::update_health( array( 'verified_at' => time() ) );
		return array(
			'ok'            => true,
			'siteUrl'       => home_url(),
			'pluginVersion' => NITKA_VERSION,
			'queue'         => Queue::instance()->counts(),
		);
	}
}
