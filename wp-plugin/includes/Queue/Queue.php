<?php
/**
 * The durable local queue: shop events are written to the plugin's table inside the request that
 * caused them, and delivered later in batches, so nothing is lost while the connector is down.
 * Delivery runs from Action Scheduler when WooCommerce ships it, otherwise from WP-Cron.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Queue;

use Nitka\WooCommerce\Connector\Client;
use Nitka\WooCommerce\Install\Schema;
use Nitka\WooCommerce\Options;

defined( 'ABSPATH' ) || exit;

/** Enqueue, deliver, retry with backoff, report. */
final class Queue {
	const CRON_HOOK    = 'nitka_deliver_events';
	const BATCH        = 50;
	const MAX_ATTEMPTS = 20;
	const LOCK         = 'nitka_queue_lock';

	/** @var Queue|null */
	private static $instance = null;

	/** @return Queue */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/** Registers the delivery hook for both runners. */
	public function hook() {
		add_action( self::CRON_HOOK, array( $this, 'deliver' ) );
	}

	/**
	 * Stores one event; a second event with the same key is ignored (idempotent hooks).
	 *
	 * @param string $kind       'order', 'customer' or 'cart'.
	 * @param string $key        Unique key, e.g. order:12:processing:1700000000.
	 * @param array  $payload    What the connector receives.
	 * @param int    $not_before Unix time before which it is not sent (a cart's idle deadline); 0 for now.
	 * @return bool True when stored now.
	 */
	public function push( $kind, $key, array $payload, $not_before = 0 ) {
		global $wpdb;
		$stored = $wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT IGNORE INTO ' . Schema::table() . ' (event_key, kind, payload, status, attempts, next_attempt_at, created_at) VALUES (%s, %s, %s, %s, 0, %d, %d)', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				substr( $key, 0, 191 ),
				$kind,
				wp_json_encode( $payload ),
				'pending',
				(int) $not_before,
				time()
			)
		);
		if ( $stored ) {
			$this->schedule( max( time(), (int) $not_before ) );
		}
		return (bool) $stored;
	}

	/**
	 * Withdraws events not yet sent whose key starts with a prefix (a cart that changed or became an order).
	 *
	 * @param string $prefix Key prefix, e.g. cart:u12:.
	 * @return int How many.
	 */
	public function cancel_prefix( $prefix ) {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table() . " WHERE status = 'pending' AND attempts = 0 AND event_key LIKE %s", $wpdb->esc_like( $prefix ) . '%' ) ); // phpcs:ignore WordPress.DB
	}

	/** Asks the runner (Action Scheduler or WP-Cron, see Runner) to deliver at a time. */
	public function schedule( $at ) {
		Runner::at( self::CRON_HOOK, $at );
	}

	/**
	 * Delivers due events in batches until none is due or time runs short.
	 *
	 * @param bool $force Deliver retries now, ignoring their backoff (the settings screen's retry button).
	 * @return array{sent:int,failed:int,error:string|null}
	 */
	public function deliver( $force = false ) {
		$result = array( 'sent' => 0, 'failed' => 0, 'error' => null );
		if ( ! Options::pairing() || ! $this->lock() ) {
			return $result;
		}
		try {
			$deadline = microtime( true ) + 20;
			do {
				$rows = $this->due( $force );
				if ( ! $rows ) {
					break;
				}
				$batch = $this->send( $rows );
				$result['sent']   += $batch['sent'];
				$result['failed'] += $batch['failed'];
				$result['error']   = $batch['error'];
			} while ( null === $batch['error'] && microtime( true ) < $deadline );
			$this->prune();
			$next = $this->next_due();
			if ( null !== $next ) {
				$this->schedule( $next );
			}
		} finally {
			delete_option( self::LOCK );
		}
		return $result;
	}

	/** @return array{pending:int,dead:int,sent:int,oldest_pending_at:int|null} */
	public function counts() {
		global $wpdb;
		$rows   = $wpdb->get_results( 'SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM ' . Schema::table() . ' GROUP BY status', ARRAY_A ); // phpcs:ignore WordPress.DB
		$counts = array( 'pending' => 0, 'dead' => 0, 'sent' => 0, 'oldest_pending_at' => null );
		foreach ( (array) $rows as $row ) {
			$counts[ $row['status'] ] = (int) $row['n'];
			if ( 'pending' === $row['status'] ) {
				$counts['oldest_pending_at'] = (int) $row['oldest'];
			}
		}
		return $counts;
	}

	/** Puts dead events back in line (retry button). @return int How many. */
	public function revive() {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::table() . " SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE status = %s", 'dead' ) ); // phpcs:ignore WordPress.DB
	}

	/** @return array[] */
	private function due( $force ) {
		global $wpdb;
		// Forcing skips retry backoff only: an event scheduled for later (an idle cart) still waits.
		$sql = 'SELECT id, event_key, kind, payload, attempts FROM ' . Schema::table() . " WHERE status = 'pending' AND (next_attempt_at <= %d" . ( $force ? ' OR attempts > 0' : '' ) . ') ORDER BY id LIMIT %d';
		$sql = $wpdb->prepare( $sql, time(), self::BATCH ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return (array) $wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB
	}

	/** One signed POST for the batch; per-event verdicts come back. */
	private function send( array $rows ) {
		global $wpdb;
		$events = array();
		foreach ( $rows as $row ) {
			$events[] = array( 'key' => $row['event_key'], 'kind' => $row['kind'], 'payload' => json_decode( $row['payload'], true ) );
		}
		$answer = Client::request( 'POST', '/api/v1/woocommerce/events', array( 'events' => $events ), 20 );
		$table  = Schema::table();
		$now    = time();
		if ( is_wp_error( $answer ) ) {
			$status    = (int) ( $answer->get_error_data()['status'] ?? 0 );
			$permanent = 400 === $status || 422 === $status;
			foreach ( $rows as $row ) {
				$attempts = (int) $row['attempts'] + 1;
				$dead     = $permanent || $attempts >= self::MAX_ATTEMPTS;
				$wpdb->update( $table, array( 'attempts' => $attempts, 'status' => $dead ? 'dead' : 'pending', 'next_attempt_at' => $now + self::backoff( $attempts ), 'last_error' => $answer->get_error_message() ), array( 'id' => $row['id'] ) ); // phpcs:ignore WordPress.DB
			}
			Options::update_health( array( 'last_error' => $answer->get_error_message(), 'last_error_at' => $now ) );
			return array( 'sent' => 0, 'failed' => count( $rows ), 'error' => $answer->get_error_message() );
		}
		$rejected = array();
		foreach ( isset( $answer['results'] ) ? (array) $answer['results'] : array() as $verdict ) {
			if ( isset( $verdict['outcome'] ) && 'rejected' === $verdict['outcome'] ) {
				$rejected[ $verdict['key'] ] = isset( $verdict['error'] ) ? (string) $verdict['error'] : 'rejected';
			}
		}
		foreach ( $rows as $row ) {
			$error = $rejected[ $row['event_key'] ] ?? null;
			$wpdb->update( $table, null === $error ? array( 'status' => 'sent', 'sent_at' => $now, 'last_error' => null ) : array( 'status' => 'dead', 'last_error' => $error ), array( 'id' => $row['id'] ) ); // phpcs:ignore WordPress.DB
		}
		Options::update_health( array( 'last_sent_at' => $now, 'last_error' => $rejected ? reset( $rejected ) : null ) );
		return array( 'sent' => count( $rows ) - count( $rejected ), 'failed' => count( $rejected ), 'error' => null );
	}

	/** Seconds before the n-th retry: 30 s doubling, capped at an hour. */
	public static function backoff( $attempts ) {
		return (int) min( 3600, 30 * pow( 2, max( 0, $attempts - 1 ) ) );
	}

	/** @return int|null When the next pending event is due. */
	private function next_due() {
		global $wpdb;
		$next = $wpdb->get_var( 'SELECT MIN(next_attempt_at) FROM ' . Schema::table() . " WHERE status = 'pending'" ); // phpcs:ignore WordPress.DB
		return null === $next ? null : max( time(), (int) $next );
	}

	/** Delivered events are kept a week for the health view, then removed. */
	private function prune() {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table() . " WHERE status = 'sent' AND sent_at < %d", time() - WEEK_IN_SECONDS ) ); // phpcs:ignore WordPress.DB
	}

	/** One deliverer at a time: add_option is an atomic insert; a lock older than a minute is stale. */
	private function lock() {
		if ( add_option( self::LOCK, time(), '', false ) ) {
			return true;
		}
		if ( (int) get_option( self::LOCK ) < time() - 60 ) {
			delete_option( self::LOCK );
			return add_option( self::LOCK, time(), '', false );
		}
		return false;
	}
}
