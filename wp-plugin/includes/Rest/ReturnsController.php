<?php
/**
 * Returns on the order (journey 3). A signed server-to-server route, like the catalog's:
 *
 *     POST /nitka/v1/connector/orders/<id>/return   { returnId, number, step: requested | approved | rejected | received, reason?, location? }
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Orders\Returns;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/connector/orders/<id>/return */
final class ReturnsController {
	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		register_rest_route(
			$ns,
			'/connector/orders/(?P<id>\d+)/return',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'step' ),
				'permission_callback' => array( ConnectorController::class, 'verify' ),
				'args'                => array(
					'id'       => array( 'type' => 'integer', 'minimum' => 1 ),
					'returnId' => array( 'type' => 'string', 'required' => true, 'pattern' => '^[0-9A-Z]{26}$' ),
					'number'   => array( 'type' => 'string', 'required' => true, 'pattern' => '^R-[0-9A-Z]{1,20}$' ),
					'step'     => array( 'type' => 'string', 'required' => true, 'enum' => array( 'requested', 'approved', 'rejected', 'received' ) ),
					'reason'   => array( 'type' => 'string', 'maxLength' => 2000 ),
					'location' => array( 'type' => 'string', 'maxLength' => 200 ),
				),
			)
		);
	}

	/**
	 * @param \WP_REST_Request $request Request.
	 * @return array|\WP_Error
	 */
	public static function step( $request ) {
		return Returns::apply(
			(int) $request['id'],
			(string) $request['returnId'],
			(string) $request['number'],
			(string) $request['step'],
			(string) $request['reason'],
			(string) $request['location']
		);
	}
}
