<?php
/**
 * Where the plugin's background work runs: Action Scheduler when WooCommerce ships it (heavy work
 * belongs there in a WooCommerce shop: it is logged, retried and runs in its own requests), else
 * WP-Cron. The `nitka_use_action_scheduler` filter can force WP-Cron.
 *
 * Both runners call the same hooks with no arguments, in the group "nitka" on Action Scheduler.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Queue;

defined( 'ABSPATH' ) || exit;

/** Schedules the plugin's hooks on Action Scheduler or WP-Cron. */
final class Runner {
	const GROUP = 'nitka';

	/** @return bool */
	public static function action_scheduler() {
		$available = function_exists( 'as_schedule_single_action' ) && function_exists( 'as_enqueue_async_action' ) && function_exists( 'as_get_scheduled_actions' );
		return $available && (bool) apply_filters( 'nitka_use_action_scheduler', true );
	}

	/** @return string 'action-scheduler' or 'wp-cron' (shown on the settings screen). */
	public static function name() {
		return self::action_scheduler() ? 'action-scheduler' : 'wp-cron';
	}

	/**
	 * Makes sure the hook runs at or before a time. On Action Scheduler: nothing to do when a pending
	 * action of the hook is due by then (a running one does not count: it may be past the point of
	 * looking for work, so the run itself reschedules through here); otherwise one is added. A later
	 * pending action is left: it runs and finds nothing, or what has become due.
	 *
	 * @param string $hook Action hook.
	 * @param int    $at   Unix time.
	 */
	public static function at( $hook, $at ) {
		$at = (int) $at;
		if ( self::action_scheduler() ) {
			$due_by = as_get_scheduled_actions(
				array(
					'hook'         => $hook,
					'group'        => self::GROUP,
					'status'       => 'pending',
					'date'         => new \DateTime( '@' . $at ), // Action Scheduler filters by date only for a DateTime.
					'date_compare' => '<=',
					'per_page'     => 1,
				),
				'ids'
			);
			if ( ! $due_by ) {
				as_schedule_single_action( $at, $hook, array(), self::GROUP );
			}
			return;
		}
		$next = wp_next_scheduled( $hook );
		if ( false === $next || $next > $at ) {
			if ( false !== $next ) {
				wp_unschedule_event( $next, $hook );
			}
			wp_schedule_single_event( $at, $hook );
		}
	}

	/**
	 * Runs the hook as soon as the runner can, once: no second pending run is added.
	 *
	 * @param string $hook Action hook.
	 */
	public static function soon( $hook ) {
		if ( self::action_scheduler() ) {
			$pending = as_get_scheduled_actions(
				array(
					'hook'     => $hook,
					'group'    => self::GROUP,
					'status'   => 'pending',
					'per_page' => 1,
				),
				'ids'
			);
			if ( ! $pending ) {
				as_enqueue_async_action( $hook, array(), self::GROUP );
			}
			return;
		}
		wp_schedule_single_event( time(), $hook );
	}

	/**
	 * Cancels the hook's pending runs on both runners (deactivation, uninstall).
	 *
	 * @param string $hook Action hook.
	 */
	public static function clear( $hook ) {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( $hook, array(), self::GROUP );
		}
		wp_clear_scheduled_hook( $hook );
	}
}
