<?php
/**
 * Settings: pairing, the link's health, the retry button and the backfill.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Compat;
use Nitka\WooCommerce\Connector\Pairing;
use Nitka\WooCommerce\Events\Backfill;
use Nitka\WooCommerce\Events\CartEvents;
use Nitka\WooCommerce\Options;
use Nitka\WooCommerce\Queue\Queue;
use Nitka\WooCommerce\Queue\Runner;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/settings, /pair, /local-code, /unpair, /queue/retry, /backfill */
final class SettingsController {
	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		$manage = array( Routes::class, 'can_manage' );
		register_rest_route( $ns, '/settings', array( 'methods' => 'GET', 'callback' => array( self::class, 'status' ), 'permission_callback' => $manage ) );
		register_rest_route(
			$ns,
			'/pair',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'pair' ),
				'permission_callback' => $manage,
				'args'                => array(
					'url'  => array( 'type' => 'string', 'required' => true ),
					'code' => array( 'type' => 'string', 'required' => true ),
				),
			)
		);
		register_rest_route(
			$ns,
			'/local-code',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'local_code' ),
				'permission_callback' => $manage,
				'args'                => array( 'url' => array( 'type' => 'string', 'required' => true ) ),
			)
		);
		register_rest_route(
			$ns,
			'/settings/carts',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'carts' ),
				'permission_callback' => $manage,
				'args'                => array( 'idleMinutes' => array( 'type' => 'integer', 'required' => true, 'minimum' => 1, 'maximum' => 10080 ) ),
			)
		);
		register_rest_route( $ns, '/unpair', array( 'methods' => 'POST', 'callback' => array( self::class, 'unpair' ), 'permission_callback' => $manage ) );
		register_rest_route( $ns, '/queue/retry', array( 'methods' => 'POST', 'callback' => array( self::class, 'retry' ), 'permission_callback' => $manage ) );
		register_rest_route( $ns, '/backfill', array( 'methods' => 'POST', 'callback' => array( self::class, 'backfill' ), 'permission_callback' => $manage ) );
	}

	/** @return array Pairing (never the secret), health, queue and backfill. */
	public static function status() {
		$pairing = Options::pairing();
		return array(
			'paired'   => null !== $pairing,
			'pairing'  => $pairing ? array(
				'url'        => $pairing['url'],
				'siteId'     => $pairing['site_id'],
				'tenantId'   => $pairing['tenant_id'],
				'tenantName' => $pairing['tenant_name'],
				'pairedAt'   => (int) $pairing['paired_at'],
			) : null,
			'health'   => Options::health(),
			'queue'    => Queue::instance()->counts(),
			'backfill' => Backfill::state(),
			'hpos'     => Compat::hpos_enabled(),
			'runner'   => Runner::name(),
			'carts'    => array( 'idleMinutes' => (int) ( CartEvents::idle_seconds() / MINUTE_IN_SECONDS ) ),
		);
	}

	/** Sets how long a cart sits unchanged before it counts as abandoned. @param \WP_REST_Request $request Request. */
	public static function carts( $request ) {
		update_option( CartEvents::IDLE_OPTION, (int) $request['idleMinutes'], false );
		return self::status();
	}

	/** @param \WP_REST_Request $request Request. */
	public static function pair( $request ) {
		$result = Pairing::pair( (string) $request['url'], (string) $request['code'] );
		if ( is_wp_error( $result ) ) {
			return Routes::upstream_error( $result );
		}
		Backfill::start();
		return self::status();
	}

	/** @param \WP_REST_Request $request Request. */
	public static function local_code( $request ) {
		$code = Pairing::local_code( (string) $request['url'] );
		return is_wp_error( $code ) ? Routes::upstream_error( $code ) : array( 'code' => $code );
	}

	/** Forgets the pairing (the connector keeps the tenant's history). */
	public static function unpair() {
		Options::clear_pairing();
		return self::status();
	}

	/** Revives dead events and delivers everything pending now. */
	public static function retry() {
		Queue::instance()->revive();
		$result = Queue::instance()->deliver( true );
		return array_merge( self::status(), array( 'delivery' => $result ) );
	}

	/** Runs one backfill step now (the rest follows from cron) and delivers. */
	public static function backfill() {
		if ( 'running' !== Backfill::state()['status'] ) {
			Backfill::start();
		}
		do {
			$state = Backfill::step();
		} while ( 'running' === $state['status'] && $state['page'] < 20 );
		Queue::instance()->deliver( true );
		return self::status();
	}
}
