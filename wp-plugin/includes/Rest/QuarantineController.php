<?php
/**
 * The connector's quarantine on the settings screen: webhooks and marketplace pages the connector
 * could not read, and a retry for each. The connector sends them without payloads and with errors
 * redacted (the buyer's data stays out); this proxy passes on only the fields the screen shows.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Connector\Client;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/quarantine, /nitka/v1/quarantine/{id}/requeue */
final class QuarantineController {
	const ID_PATTERN = '[0-9A-HJKMNP-TV-Z]{26}';
	const FIELDS     = array( 'id', 'inbox', 'source', 'connectionId', 'connectionName', 'receivedAt', 'attempts', 'error' );

	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		$manage = array( Routes::class, 'can_manage' );
		register_rest_route( $ns, '/quarantine', array( 'methods' => 'GET', 'callback' => array( self::class, 'items' ), 'permission_callback' => $manage ) );
		register_rest_route(
			$ns,
			'/quarantine/(?P<id>' . self::ID_PATTERN . ')/requeue',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'requeue' ),
				'permission_callback' => $manage,
				'args'                => array( 'id' => array( 'type' => 'string', 'required' => true, 'pattern' => '^' . self::ID_PATTERN . '$' ) ),
			)
		);
	}

	/** @return array|\WP_Error The newest quarantined items (at most 100) and whether older ones wait. */
	public static function items() {
		$answer = Client::request( 'GET', '/api/v1/woocommerce/quarantine?limit=100' );
		if ( is_wp_error( $answer ) ) {
			return Routes::upstream_error( $answer );
		}
		$items = array();
		foreach ( (array) ( $answer['items'] ?? array() ) as $item ) {
			if ( is_array( $item ) && isset( $item['id'] ) ) {
				$items[] = self::only_shown( $item );
			}
		}
		return array(
			'items' => $items,
			'more'  => ! empty( $answer['more'] ),
		);
	}

	/**
	 * Sends one item through the connector's worker again.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return array|\WP_Error
	 */
	public static function requeue( $request ) {
		$answer = Client::request( 'POST', '/api/v1/woocommerce/quarantine/' . rawurlencode( (string) $request['id'] ) . '/requeue' );
		return is_wp_error( $answer ) ? Routes::upstream_error( $answer ) : array( 'requeued' => (string) $request['id'] );
	}

	/**
	 * The fields the screen shows, as scalars; a payload or anything else the connector may add is dropped.
	 *
	 * @param array $item Item as the connector sent it.
	 * @return array
	 */
	public static function only_shown( array $item ) {
		$shown = array();
		foreach ( self::FIELDS as $field ) {
			$value           = $item[ $field ] ?? null;
			$shown[ $field ] = is_scalar( $value ) ? ( 'attempts' === $field ? (int) $value : (string) $value ) : null;
		}
		return $shown;
	}
}
