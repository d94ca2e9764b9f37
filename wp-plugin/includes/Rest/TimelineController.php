<?php
/**
 * The timeline for the order and user screens and the lookup page, and replies. PHP asks the
 * connector (signed) and keeps answers for a few seconds, so reopening a screen costs nothing.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Connector\Client;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/timeline, /nitka/v1/reply */
final class TimelineController {
	const CACHE_SECONDS = 5;
	const GENERATION    = 'nitka_timeline_generation';

	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		register_rest_route(
			$ns,
			'/timeline',
			array(
				'methods'             => 'GET',
				'callback'            => array( self::class, 'timeline' ),
				'permission_callback' => array( self::class, 'can_read' ),
				'args'                => array(
					'order'   => array( 'type' => 'integer' ),
					'user'    => array( 'type' => 'integer' ),
					'email'   => array( 'type' => 'string' ),
					'phone'   => array( 'type' => 'string' ),
					'cursor'  => array( 'type' => 'string' ),
					'channel' => array( 'type' => 'string' ),
				),
			)
		);
		register_rest_route(
			$ns,
			'/reply',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'reply' ),
				'permission_callback' => array( Routes::class, 'can_edit_orders' ),
				'args'                => array(
					'customerId'     => array( 'type' => 'string', 'required' => true, 'pattern' => '^[0-9A-HJKMNP-TV-Z]{26}$' ),
					'text'           => array( 'type' => 'string', 'required' => true, 'minLength' => 1, 'maxLength' => 4000 ),
					'channel'        => array( 'type' => 'string', 'enum' => array( 'telegram', 'vk', 'max' ) ),
					'idempotencyKey' => array( 'type' => 'string', 'pattern' => '^[A-Za-z0-9_.:-]{1,100}$' ),
				),
			)
		);
	}

	/**
	 * Orders need edit_shop_orders; a user's history needs the right to edit that user; a free
	 * lookup by email or phone needs manage_woocommerce.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function can_read( $request ) {
		if ( $request['order'] ) {
			return Routes::can_edit_orders();
		}
		if ( $request['user'] ) {
			return Routes::can_edit_orders() && current_user_can( 'edit_user', (int) $request['user'] );
		}
		return Routes::can_manage();
	}

	/** @param \WP_REST_Request $request Request. */
	public static function timeline( $request ) {
		$query = self::identifiers( $request );
		if ( is_wp_error( $query ) ) {
			return $query;
		}
		foreach ( array( 'cursor', 'channel' ) as $key ) {
			if ( $request[ $key ] ) {
				$query[ $key ] = (string) $request[ $key ];
			}
		}
		$query['limit'] = 30;
		$cache_key      = 'nitka_tl_' . md5( wp_json_encode( $query ) . '|' . (int) get_option( self::GENERATION, 0 ) );
		$cached         = get_transient( $cache_key );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		$answer = Client::request( 'GET', '/api/v1/woocommerce/timeline?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) );
		if ( is_wp_error( $answer ) ) {
			return Routes::upstream_error( $answer );
		}
		set_transient( $cache_key, $answer, self::CACHE_SECONDS );
		return $answer;
	}

	/** @param \WP_REST_Request $request Request. */
	public static function reply( $request ) {
		$user = wp_get_current_user();
		$body = array(
			'text'           => (string) $request['text'],
			'author'         => 'wp:' . $user->user_login,
			'idempotencyKey' => $request['idempotencyKey'] ? (string) $request['idempotencyKey'] : 'wp-' . wp_generate_uuid4(),
		);
		if ( $request['channel'] ) {
			$body['channel'] = (string) $request['channel'];
		}
		$answer = Client::request( 'POST', '/api/v1/woocommerce/customers/' . rawurlencode( (string) $request['customerId'] ) . '/replies', $body );
		if ( is_wp_error( $answer ) ) {
			return Routes::upstream_error( $answer );
		}
		// New generation: every cached timeline is stale now.
		update_option( self::GENERATION, (int) get_option( self::GENERATION, 0 ) + 1 );
		return $answer;
	}

	/**
	 * What the connector can find a customer by: an order's or a user's strong identifiers.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return array|\WP_Error
	 */
	private static function identifiers( $request ) {
		if ( $request['order'] ) {
			$order = wc_get_order( (int) $request['order'] );
			if ( ! $order ) {
				return new \WP_Error( 'nitka_no_order', __( 'No such order.', 'nitka' ), array( 'status' => 404 ) );
			}
			return array_filter(
				array(
					'orderId'    => (string) $order->get_id(),
					'wcCustomer' => $order->get_customer_id() ? (string) $order->get_customer_id() : '',
					'email'      => (string) $order->get_billing_email(),
					'phone'      => (string) $order->get_billing_phone(),
				)
			);
		}
		if ( $request['user'] ) {
			$user = get_userdata( (int) $request['user'] );
			if ( ! $user ) {
				return new \WP_Error( 'nitka_no_user', __( 'No such user.', 'nitka' ), array( 'status' => 404 ) );
			}
			return array_filter(
				array(
					'wcCustomer' => (string) $user->ID,
					'email'      => (string) ( get_user_meta( $user->ID, 'billing_email', true ) ? get_user_meta( $user->ID, 'billing_email', true ) : $user->user_email ),
					'phone'      => (string) get_user_meta( $user->ID, 'billing_phone', true ),
				)
			);
		}
		$query = array_filter( array( 'email' => (string) $request['email'], 'phone' => (string) $request['phone'] ) );
		return $query ? $query : new \WP_Error( 'nitka_no_query', __( 'Give an email or a phone.', 'nitka' ), array( 'status' => 400 ) );
	}
}
