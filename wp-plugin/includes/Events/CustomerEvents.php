<?php
/**
 * Customer accounts → queued events: registered and updated, carrying the strong identifiers
 * (user id, billing email and phone) that join the identity graph.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Events;

use Nitka\WooCommerce\Queue\Queue;

defined( 'ABSPATH' ) || exit;

/** Listens to user hooks. */
final class CustomerEvents {
	/** Hooks. */
	public static function hook() {
		add_action( 'user_register', array( self::class, 'registered' ), 20, 1 );
		add_action( 'profile_update', array( self::class, 'updated' ), 20, 1 );
		add_action( 'woocommerce_update_customer', array( self::class, 'updated' ), 20, 1 );
	}

	/** @param int $user_id User id. */
	public static function registered( $user_id ) {
		self::queue( 'registered', $user_id );
	}

	/** @param int $user_id User id. */
	public static function updated( $user_id ) {
		self::queue( 'updated', $user_id );
	}

	/** Only shop customers travel: staff accounts are not customers. */
	private static function queue( $trigger, $user_id ) {
		$user = get_userdata( $user_id );
		if ( ! $user || ! in_array( 'customer', (array) $user->roles, true ) ) {
			return;
		}
		$payload = self::snapshot( $user );
		Queue::instance()->push( 'customer', 'customer:' . $user->ID . ':' . $trigger . ':' . md5( wp_json_encode( $payload ) ), array( 'trigger' => $trigger, 'customer' => $payload ) );
	}

	/** @param \WP_User $user User. @return array */
	public static function snapshot( $user ) {
		$first = (string) get_user_meta( $user->ID, 'billing_first_name', true );
		$last  = (string) get_user_meta( $user->ID, 'billing_last_name', true );
		return array(
			'customerId'   => (int) $user->ID,
			'email'        => (string) ( get_user_meta( $user->ID, 'billing_email', true ) ? get_user_meta( $user->ID, 'billing_email', true ) : $user->user_email ),
			'phone'        => (string) get_user_meta( $user->ID, 'billing_phone', true ),
			'firstName'    => '' !== $first ? $first : (string) $user->first_name,
			'lastName'     => '' !== $last ? $last : (string) $user->last_name,
			'registeredAt' => (int) strtotime( $user->user_registered . ' UTC' ),
		);
	}
}
