<?php
/**
 * Action Scheduler, as WooCommerce ships it (packages/action-scheduler), reduced to what the Nitka
 * plugin calls, with the documented semantics of Action Scheduler 3.x:
 *
 *   as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ): int
 *   as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ): int
 *   as_unschedule_action( $hook, $args = array(), $group = '' ): int|null   (the next pending one)
 *   as_unschedule_all_actions( $hook, $args = array(), $group = '' ): void
 *   as_next_scheduled_action( $hook, $args = null, $group = '' ): int|bool
 *       true when one is running or an async one is pending, else the next pending one's timestamp, else false
 *   as_has_scheduled_action( $hook, $args = null, $group = '' ): bool   (pending or running)
 *   as_get_scheduled_actions( $args = array(), $return_format = OBJECT ): array   ('ids' only here)
 *
 * Actions live in {prefix}actionscheduler_actions (the real table's name and main columns; the
 * group is stored by slug instead of through actionscheduler_groups). $args are matched by their
 * JSON encoding, null meaning any. ActionScheduler_QueueRunner::instance()->run() claims due
 * pending actions in batches, marks each in-progress, fires do_action_ref_array( $hook, $args ),
 * marks it complete (or failed when it throws), and keeps taking batches while there are any, so
 * actions enqueued by a running action run in the same pass; WP-Cron's action_scheduler_run_queue
 * (every minute) calls it, as in the real package. Not WooCommerce's code.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Status names, as ActionScheduler_Store defines them. */
abstract class ActionScheduler_Store {
	const STATUS_COMPLETE = 'complete';
	const STATUS_PENDING  = 'pending';
	const STATUS_RUNNING  = 'in-progress';
	const STATUS_FAILED   = 'failed';
	const STATUS_CANCELED = 'canceled';
}

/** The stand-in's storage and runner. */
final class ActionScheduler_QueueRunner {
	const WP_CRON_HOOK     = 'action_scheduler_run_queue';
	const WP_CRON_SCHEDULE = 'every_minute';
	const SCHEMA_OPTION    = 'wc_stand_in_action_scheduler_schema';
	const BATCH            = 25;

	/** @var ActionScheduler_QueueRunner|null */
	private static $instance = null;

	/** @return ActionScheduler_QueueRunner */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/** @return string */
	public static function table() {
		global $wpdb;
		return $wpdb->prefix . 'actionscheduler_actions';
	}

	/** Creates the table once (real Action Scheduler registers its schema on plugins_loaded). */
	public static function install() {
		if ( '1' === get_option( self::SCHEMA_OPTION ) ) {
			return;
		}
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table = self::table();
		dbDelta(
			"CREATE TABLE {$table} (
				action_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
				hook varchar(191) NOT NULL,
				status varchar(20) NOT NULL,
				scheduled_date_gmt datetime NULL DEFAULT NULL,
				priority tinyint(3) unsigned NOT NULL DEFAULT 10,
				args varchar(191) NULL,
				group_slug varchar(255) NOT NULL DEFAULT '',
				attempts int(11) NOT NULL DEFAULT 0,
				last_attempt_gmt datetime NULL DEFAULT NULL,
				PRIMARY KEY  (action_id),
				KEY hook_status (hook,status),
				KEY status_date (status,scheduled_date_gmt)
			) {$wpdb->get_charset_collate()};"
		);
		update_option( self::SCHEMA_OPTION, '1', true ); // Autoloaded: checked on every request.
	}

	/** Hooks: the schema, the every-minute WP-Cron event that runs the queue. */
	public static function hook() {
		add_action( 'plugins_loaded', array( self::class, 'install' ), 0 );
		add_filter(
			'cron_schedules',
			static function ( $schedules ) {
				$schedules[ self::WP_CRON_SCHEDULE ] = array( 'interval' => 60, 'display' => 'Every minute' );
				return $schedules;
			}
		);
		add_action( self::WP_CRON_HOOK, array( self::instance(), 'run' ) );
		add_action(
			'init',
			static function () {
				if ( ! wp_next_scheduled( self::WP_CRON_HOOK ) ) {
					wp_schedule_event( time(), self::WP_CRON_SCHEDULE, self::WP_CRON_HOOK );
				}
			}
		);
	}

	/**
	 * Stores an action. A null timestamp is an async action (due now; Action Scheduler's NullSchedule).
	 *
	 * @return int The action id, 0 when $unique and a pending or running one exists.
	 */
	public static function store( $timestamp, $hook, $args, $group, $unique, $priority ) {
		global $wpdb;
		if ( $unique && self::find( $hook, null, $group, array( ActionScheduler_Store::STATUS_PENDING, ActionScheduler_Store::STATUS_RUNNING ), 1 ) ) {
			return 0;
		}
		$wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			self::table(),
			array(
				'hook'               => $hook,
				'status'             => ActionScheduler_Store::STATUS_PENDING,
				'scheduled_date_gmt' => null === $timestamp ? null : gmdate( 'Y-m-d H:i:s', (int) $timestamp ),
				'priority'           => (int) $priority,
				'args'               => wp_json_encode( (array) $args ),
				'group_slug'         => (string) $group,
			)
		);
		return (int) $wpdb->insert_id;
	}

	/**
	 * Action rows matching a hook, args (null: any), group ('' : any) and statuses, soonest first.
	 *
	 * @return array[] action_id, hook, status, scheduled_date_gmt, args, group_slug.
	 */
	public static function find( $hook, $args, $group, array $statuses, $limit, $date = null, $date_compare = '<=' ) {
		global $wpdb;
		$where  = array( 'hook = %s' );
		$params = array( $hook );
		if ( null !== $args ) {
			$where[]  = 'args = %s';
			$params[] = wp_json_encode( (array) $args );
		}
		if ( '' !== (string) $group ) {
			$where[]  = 'group_slug = %s';
			$params[] = $group;
		}
		$where[] = 'status IN (' . implode( ',', array_fill( 0, count( $statuses ), '%s' ) ) . ')';
		$params  = array_merge( $params, $statuses );
		if ( null !== $date ) {
			$operator = in_array( $date_compare, array( '<', '<=', '=', '>=', '>', '!=' ), true ) ? $date_compare : '<=';
			// A null date (async) counts as "now".
			$where[]  = "COALESCE(scheduled_date_gmt, UTC_TIMESTAMP()) {$operator} %s";
			$params[] = gmdate( 'Y-m-d H:i:s', (int) $date );
		}
		$sql = 'SELECT action_id, hook, status, scheduled_date_gmt, args, group_slug FROM ' . self::table() . ' WHERE ' . implode( ' AND ', $where ) . ' ORDER BY COALESCE(scheduled_date_gmt, \'1970-01-01 00:00:00\'), action_id';
		if ( $limit > 0 ) {
			$sql     .= ' LIMIT %d';
			$params[] = (int) $limit;
		}
		return (array) $wpdb->get_results( $wpdb->prepare( $sql, $params ), ARRAY_A ); // phpcs:ignore WordPress.DB
	}

	/** Sets an action's status. */
	public static function mark( $id, $status ) {
		global $wpdb;
		$wpdb->update( self::table(), array( 'status' => $status ), array( 'action_id' => (int) $id ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Runs due actions, batch after batch, until a batch finds none.
	 *
	 * @param string $context Who runs it (logged by the real runner).
	 * @return int How many actions ran.
	 */
	public function run( $context = 'WP Cron' ) {
		global $wpdb;
		$ran = 0;
		do {
			$table = self::table();
			$due   = (array) $wpdb->get_col( $wpdb->prepare( "SELECT action_id FROM {$table} WHERE status = %s AND (scheduled_date_gmt IS NULL OR scheduled_date_gmt <= %s) ORDER BY priority, COALESCE(scheduled_date_gmt, '1970-01-01 00:00:00'), action_id LIMIT %d", ActionScheduler_Store::STATUS_PENDING, gmdate( 'Y-m-d H:i:s' ), self::BATCH ) ); // phpcs:ignore WordPress.DB
			$batch = 0;
			foreach ( $due as $id ) {
				// Claim: only one runner moves an action from pending to in-progress.
				$claimed = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s, attempts = attempts + 1, last_attempt_gmt = %s WHERE action_id = %d AND status = %s", ActionScheduler_Store::STATUS_RUNNING, gmdate( 'Y-m-d H:i:s' ), $id, ActionScheduler_Store::STATUS_PENDING ) ); // phpcs:ignore WordPress.DB
				if ( 1 !== $claimed ) {
					continue;
				}
				$row = $wpdb->get_row( $wpdb->prepare( "SELECT hook, args FROM {$table} WHERE action_id = %d", $id ), ARRAY_A ); // phpcs:ignore WordPress.DB
				do_action( 'action_scheduler_before_execute', (int) $id, $context );
				try {
					do_action_ref_array( $row['hook'], array_values( (array) json_decode( (string) $row['args'], true ) ) );
					self::mark( $id, ActionScheduler_Store::STATUS_COMPLETE );
					do_action( 'action_scheduler_after_execute', (int) $id );
				} catch ( Throwable $e ) {
					self::mark( $id, ActionScheduler_Store::STATUS_FAILED );
					do_action( 'action_scheduler_failed_execution', (int) $id, $e );
				}
				++$batch;
			}
			$ran += $batch;
		} while ( $batch > 0 && $ran < 1000 );
		return $ran;
	}
}

ActionScheduler_QueueRunner::hook();

/** @return int */
function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	return ActionScheduler_QueueRunner::store( null, $hook, $args, $group, $unique, $priority );
}

/** @return int */
function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	return ActionScheduler_QueueRunner::store( $timestamp, $hook, $args, $group, $unique, $priority );
}

/** Cancels the next pending occurrence. @return int|null Its id. */
function as_unschedule_action( $hook, $args = array(), $group = '' ) {
	$next = ActionScheduler_QueueRunner::find( $hook, $args, $group, array( ActionScheduler_Store::STATUS_PENDING ), 1 );
	if ( ! $next ) {
		return null;
	}
	ActionScheduler_QueueRunner::mark( $next[0]['action_id'], ActionScheduler_Store::STATUS_CANCELED );
	return (int) $next[0]['action_id'];
}

/** Cancels every pending occurrence. */
function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	// The real function matches any args when $args is empty.
	foreach ( ActionScheduler_QueueRunner::find( $hook, empty( $args ) ? null : $args, $group, array( ActionScheduler_Store::STATUS_PENDING ), 0 ) as $row ) {
		ActionScheduler_QueueRunner::mark( $row['action_id'], ActionScheduler_Store::STATUS_CANCELED );
	}
}

/** @return int|bool */
function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
	if ( ActionScheduler_QueueRunner::find( $hook, $args, $group, array( ActionScheduler_Store::STATUS_RUNNING ), 1 ) ) {
		return true;
	}
	$next = ActionScheduler_QueueRunner::find( $hook, $args, $group, array( ActionScheduler_Store::STATUS_PENDING ), 1 );
	if ( ! $next ) {
		return false;
	}
	return null === $next[0]['scheduled_date_gmt'] ? true : (int) strtotime( $next[0]['scheduled_date_gmt'] . ' UTC' );
}

/** @return bool */
function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	return (bool) ActionScheduler_QueueRunner::find( $hook, $args, $group, array( ActionScheduler_Store::STATUS_PENDING, ActionScheduler_Store::STATUS_RUNNING ), 1 );
}

/**
 * @param array  $args          hook, args, group, status, date (a DateTime), date_compare, per_page (5; -1 for all).
 * @param string $return_format 'ids' (the only format the stand-in serves).
 * @return int[]
 */
function as_get_scheduled_actions( $args = array(), $return_format = OBJECT ) {
	if ( 'ids' !== $return_format ) {
		_doing_it_wrong( __FUNCTION__, 'The WooCommerce stand-in returns ids only.', '3.0.0' );
		return array();
	}
	$args     = wp_parse_args( $args, array( 'hook' => '', 'args' => null, 'group' => '', 'status' => '', 'date' => null, 'date_compare' => '<=', 'per_page' => 5 ) );
	$statuses = '' === $args['status'] ? array( ActionScheduler_Store::STATUS_PENDING, ActionScheduler_Store::STATUS_RUNNING, ActionScheduler_Store::STATUS_COMPLETE, ActionScheduler_Store::STATUS_FAILED, ActionScheduler_Store::STATUS_CANCELED ) : (array) $args['status'];
	// As in ActionScheduler_DBStore: the date filter applies only when 'date' is a DateTime.
	$date     = $args['date'] instanceof DateTime ? $args['date']->getTimestamp() : null;
	$rows     = ActionScheduler_QueueRunner::find( $args['hook'], $args['args'], $args['group'], $statuses, (int) $args['per_page'], $date, $args['date_compare'] );
	return array_map( 'intval', wp_list_pluck( $rows, 'action_id' ) );
}
