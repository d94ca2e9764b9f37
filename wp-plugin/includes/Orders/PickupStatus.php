<?php
/**
 * The "Ready for pickup" order status. Shops that hand orders over in store expect one (the
 * local pickup plugins add theirs): an order waits in "Processing" while it is put together, turns
 * "Ready for pickup" when the store's counter says so, and "Completed" when the customer takes it.
 * The slug is the plugin's own (wc-nitka-ready), so it never clashes with another plugin's status;
 * a shop that already has one can point the plugin at it with the `nitka_ready_for_pickup_status`
 * filter (a status key without the wc- prefix).
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Orders;

defined( 'ABSPATH' ) || exit;

/** Registers wc-nitka-ready with WordPress and WooCommerce. */
final class PickupStatus {
	const SLUG = 'nitka-ready';

	/** Hooks. */
	public static function hook() {
		add_action( 'init', array( self::class, 'register' ), 20 );
		add_filter( 'wc_order_statuses', array( self::class, 'order_statuses' ) );
		add_filter( 'woocommerce_reports_order_statuses', array( self::class, 'in_reports' ) );
	}

	/** @return string The status orders take when ready (no wc- prefix). */
	public static function ready_status() {
		$status = (string) apply_filters( 'nitka_ready_for_pickup_status', self::SLUG );
		return '' === $status ? self::SLUG : preg_replace( '/^wc-/', '', $status );
	}

	/** @return string The status' label. */
	public static function label() {
		return __( 'Ready for pickup', 'nitka' );
	}

	/** The post status, for the posts order storage and the order list's status filter. */
	public static function register() {
		register_post_status(
			'wc-' . self::SLUG,
			array(
				'label'                     => self::label(),
				'public'                    => false,
				'exclude_from_search'       => false,
				'show_in_admin_all_list'    => true,
				'show_in_admin_status_list' => true,
				/* translators: %s: number of orders */
				'label_count'               => _n_noop( 'Ready for pickup <span class="count">(%s)</span>', 'Ready for pickup <span class="count">(%s)</span>', 'nitka' ),
			)
		);
	}

	/**
	 * Adds the status right after "Processing" (the order list's filters, the order screen's select).
	 *
	 * @param array $statuses wc-* key => label.
	 * @return array
	 */
	public static function order_statuses( $statuses ) {
		$out = array();
		foreach ( $statuses as $key => $label ) {
			$out[ $key ] = $label;
			if ( 'wc-processing' === $key ) {
				$out[ 'wc-' . self::SLUG ] = self::label();
			}
		}
		if ( ! isset( $out[ 'wc-' . self::SLUG ] ) ) {
			$out[ 'wc-' . self::SLUG ] = self::label();
		}
		return $out;
	}

	/**
	 * Sales reports count orders being prepared; a ready one is still a sale.
	 *
	 * @param array|false $statuses Statuses (no wc- prefix).
	 * @return array|false
	 */
	public static function in_reports( $statuses ) {
		if ( is_array( $statuses ) && in_array( 'processing', $statuses, true ) && ! in_array( self::SLUG, $statuses, true ) ) {
			$statuses[] = self::SLUG;
		}
		return $statuses;
	}

	/**
	 * On deactivation: orders in the plugin's status would vanish from the order lists once it is
	 * no longer registered, so they go back to "Processing" with a note (they are still to be collected).
	 */
	public static function release() {
		if ( ! function_exists( 'wc_get_orders' ) ) {
			return;
		}
		$ids = wc_get_orders(
			array(
				'status' => array( self::SLUG ),
				'limit'  => -1,
				'return' => 'ids',
				'type'   => 'shop_order',
			)
		);
		foreach ( $ids as $id ) {
			$order = wc_get_order( $id );
			if ( $order ) {
				$order->update_status( 'processing', __( 'Nitka was deactivated: the order, ready for pickup, is back in Processing.', 'nitka' ) );
			}
		}
	}
}
