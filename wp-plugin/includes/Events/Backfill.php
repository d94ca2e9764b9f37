<?php
/**
 * First-run backfill: queues every past order, 50 per step, oldest first, with progress the
 * settings screen shows. Each step reschedules the next, so a long history never times out.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Events;

use Nitka\WooCommerce\Queue\Runner;

defined( 'ABSPATH' ) || exit;

/** Past orders → queue. */
final class Backfill {
	const CRON_HOOK = 'nitka_backfill_step';
	const OPTION    = 'nitka_backfill';
	const PAGE_SIZE = 50;

	/** Hooks. */
	public static function hook() {
		add_action( self::CRON_HOOK, array( self::class, 'step' ) );
	}

	/** @return array{status:string,total:int,done:int,page:int,started_at:int|null,finished_at:int|null} */
	public static function state() {
		$state = get_option( self::OPTION );
		return is_array( $state ) ? $state : array( 'status' => 'idle', 'total' => 0, 'done' => 0, 'page' => 0, 'started_at' => null, 'finished_at' => null );
	}

	/** Starts (or restarts) the backfill. */
	public static function start() {
		update_option( self::OPTION, array( 'status' => 'running', 'total' => 0, 'done' => 0, 'page' => 0, 'started_at' => time(), 'finished_at' => null ), false );
		Runner::soon( self::CRON_HOOK );
	}

	/** Queues one page of orders. @return array The new state. */
	public static function step() {
		$state = self::state();
		if ( 'running' !== $state['status'] ) {
			return $state;
		}
		$page = wc_get_orders(
			array(
				'limit'    => self::PAGE_SIZE,
				'paged'    => $state['page'] + 1,
				'orderby'  => 'ID',
				'order'    => 'ASC',
				'paginate' => true,
			)
		);
		foreach ( $page->orders as $order ) {
			OrderEvents::queue( 'backfill', $order, array() );
		}
		$state['total'] = (int) $page->total;
		$state['done'] += count( $page->orders );
		++$state['page'];
		if ( $state['page'] >= (int) $page->max_num_pages ) {
			$state['status']      = 'done';
			$state['finished_at'] = time();
		} else {
			Runner::soon( self::CRON_HOOK );
		}
		update_option( self::OPTION, $state, false );
		return $state;
	}
}
