<?php
/**
 * Signed server-to-server calls to the paired connector.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Connector;

use Nitka\WooCommerce\Options;

defined( 'ABSPATH' ) || exit;

/** The connector's API as the plugin uses it. */
final class Client {
	/**
	 * Sends a signed request.
	 *
	 * @param string     $method GET or POST.
	 * @param string     $path   Path under the connector URL, with its query.
	 * @param array|null $body   JSON body.
	 * @param int        $timeout Seconds.
	 * @return array|\WP_Error Decoded JSON, or an error with the connector's status and detail.
	 */
	public static function request( $method, $path, $body = null, $timeout = 10 ) {
		$pairing = Options::pairing();
		$secret  = Options::secret();
		if ( ! $pairing || ! $secret ) {
			return new \WP_Error( 'nitka_not_paired', __( 'The shop is not paired with a Nitka connector yet.', 'nitka' ) );
		}
		$url = UrlPolicy::normalize( $pairing['url'] );
		if ( is_wp_error( $url ) ) {
			return $url;
		}
		$raw     = null === $body ? '' : wp_json_encode( $body );
		$headers = Signer::headers( $pairing['site_id'], $secret, $method, self::signed_path( $url, $path ), $raw );
		if ( null !== $body ) {
			$headers['Content-Type'] = 'application/vnd.nitka.signed+json';
		}
		return self::send( $method, $url . $path, $headers, $raw, $timeout );
	}

	/**
	 * An unsigned call (pairing, before a secret exists).
	 *
	 * @return array|\WP_Error
	 */
	public static function unsigned( $method, $base_url, $path, array $body ) {
		return self::send( $method, $base_url . $path, array( 'Content-Type' => 'application/json' ), wp_json_encode( $body ), 15 );
	}

	/**
	 * A pairing call: signed with the current pairing when there is one, so the connector knows the
	 * request comes from the shop it already pairs (a re-pairing needs that proof); unsigned otherwise.
	 *
	 * @return array|\WP_Error
	 */
	public static function pairing_call( $base_url, $path, array $body ) {
		$pairing = Options::pairing();
		$secret  = Options::secret();
		if ( ! $pairing || ! $secret || empty( $pairing['site_id'] ) ) {
			return self::unsigned( 'POST', $base_url, $path, $body );
		}
		$raw                     = wp_json_encode( $body );
		$headers                 = Signer::headers( $pairing['site_id'], $secret, 'POST', self::signed_path( $base_url, $path ), $raw );
		$headers['Content-Type'] = 'application/vnd.nitka.signed+json';
		return self::send( 'POST', $base_url . $path, $headers, $raw, 15 );
	}

	/** The connector may sit under a path prefix; it signs what it receives, prefix included. */
	private static function signed_path( $base_url, $path ) {
		$prefix = (string) wp_parse_url( $base_url, PHP_URL_PATH );
		return $prefix . $path;
	}

	/** @return array|\WP_Error */
	private static function send( $method, $url, array $headers, $raw, $timeout ) {
		$args     = array(
			'method'      => $method,
			'headers'     => $headers,
			'timeout'     => $timeout,
			'redirection' => 0,
			'user-agent'  => 'Nitka-WooCommerce/' . NITKA_VERSION,
		);
		if ( '' !== $raw ) {
			$args['body'] = $raw;
		}
		$response = wp_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			return new \WP_Error( 'nitka_unreachable', sprintf( /* translators: %s: error message */ __( 'The connector is unreachable: %s', 'nitka' ), $response->get_error_message() ) );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$json   = json_decode( wp_remote_retrieve_body( $response ), true );
		if ( $status >= 200 && $status < 300 ) {
			return is_array( $json ) ? $json : array();
		}
		$detail = is_array( $json ) && isset( $json['detail'] ) ? (string) $json['detail'] : (string) wp_remote_retrieve_response_message( $response );
		return new \WP_Error( 'nitka_connector_' . $status, sprintf( /* translators: 1: HTTP status, 2: detail */ __( 'The connector answered %1$d: %2$s', 'nitka' ), $status, $detail ), array( 'status' => $status ) );
	}
}
