<?php
/**
 * Pairing: trades a one-time code from the connector for a site id and a shared secret.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Connector;

use Nitka\WooCommerce\Options;

defined( 'ABSPATH' ) || exit;

/** The pairing exchange. */
final class Pairing {
	/**
	 * @param string $url  Connector URL.
	 * @param string $code One-time pairing code.
	 * @return array|\WP_Error The stored pairing (without its secret).
	 */
	public static function pair( $url, $code ) {
		$url = UrlPolicy::normalize( $url );
		if ( is_wp_error( $url ) ) {
			return $url;
		}
		$code = strtoupper( preg_replace( '/[^A-Za-z0-9]/', '', (string) $code ) );
		if ( strlen( $code ) < 8 ) {
			return new \WP_Error( 'nitka_bad_code', __( 'Enter the pairing code the connector showed you.', 'nitka' ) );
		}
		// Signed by the current pairing, if any: re-pairing a shop the connector knows needs that proof.
		$answer = Client::pairing_call(
			$url,
			'/api/v1/woocommerce/pair',
			array(
				'code'          => $code,
				'siteUrl'       => home_url(),
				'siteName'      => get_bloginfo( 'name' ),
				'pluginVersion' => NITKA_VERSION,
				'callbackUrl'   => rest_url( 'nitka/v1/connector' ),
			)
		);
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( empty( $answer['siteId'] ) || empty( $answer['secret'] ) || empty( $answer['tenantId'] ) ) {
			return new \WP_Error( 'nitka_bad_answer', __( 'The connector gave an unexpected answer.', 'nitka' ) );
		}
		Options::save_pairing(
			array(
				'url'         => $url,
				'site_id'     => (string) $answer['siteId'],
				'tenant_id'   => (string) $answer['tenantId'],
				'tenant_name' => isset( $answer['tenantName'] ) ? (string) $answer['tenantName'] : '',
			),
			(string) $answer['secret']
		);
		return Options::pairing();
	}

	/**
	 * Asks a connector on this machine for a pairing code (its demo flow; a public connector refuses).
	 *
	 * @return string|\WP_Error The code.
	 */
	public static function local_code( $url ) {
		$url = UrlPolicy::normalize( $url );
		if ( is_wp_error( $url ) ) {
			return $url;
		}
		$host = (string) wp_parse_url( $url, PHP_URL_HOST );
		if ( ! UrlPolicy::is_loopback( $host ) ) {
			return new \WP_Error( 'nitka_not_local', __( 'Only a connector on this machine hands out codes without an API key.', 'nitka' ) );
		}
		$answer = Client::unsigned( 'POST', $url, '/api/v1/woocommerce/local-pairing-codes', array( 'siteUrl' => home_url() ) );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		return isset( $answer['code'] ) ? (string) $answer['code'] : new \WP_Error( 'nitka_bad_answer', __( 'The connector gave an unexpected answer.', 'nitka' ) );
	}
}
