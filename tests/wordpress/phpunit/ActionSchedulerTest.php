<?php
/**
 * The plugin's background work on Action Scheduler (the WooCommerce stand-in ships a minimal one,
 * as WooCommerce does): queue delivery and the backfill are scheduled there, run by the Action
 * Scheduler runner, and the queue drains through it. The connector's answer comes from WordPress's
 * pre_http_request filter (the connector is not under test here; plugin-flow.test.ts has the real one).
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Events\Backfill;
use Nitka\WooCommerce\Install\Schema;
use Nitka\WooCommerce\Options;
use Nitka\WooCommerce\Queue\Queue;
use Nitka\WooCommerce\Queue\Runner;
use PHPUnit\Framework\TestCase;

final class ActionSchedulerTest extends TestCase {
	const SITE   = '01JACTIONSCHEDULERSITE0000';
	const SECRET = 'action-scheduler-test-secret';

	/** @var array|false */
	private $pairing;
	/** @var mixed */
	private $backfill;
	/** @var int */
	private $queue_max;
	/** @var int */
	private $action_max;
	/** @var array[] Batches the "connector" received: keys and headers. */
	private $received = array();
	/** @var callable */
	private $connector;

	protected function setUp(): void {
		global $wpdb;
		$this->pairing    = get_option( Options::PAIRING );
		$this->backfill   = get_option( Backfill::OPTION );
		$this->queue_max  = (int) $wpdb->get_var( 'SELECT COALESCE(MAX(id), 0) FROM ' . Schema::table() ); // phpcs:ignore
		$this->action_max = (int) $wpdb->get_var( 'SELECT COALESCE(MAX(action_id), 0) FROM ' . ActionScheduler_QueueRunner::table() ); // phpcs:ignore
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => self::SITE, 'tenant_id' => 't' ), self::SECRET );
		// Nothing pending from before this test may run in it.
		as_unschedule_all_actions( Queue::CRON_HOOK, array(), Runner::GROUP );
		as_unschedule_all_actions( Backfill::CRON_HOOK, array(), Runner::GROUP );
		$this->connector = function ( $pre, $args, $url ) {
			if ( false === strpos( $url, '/api/v1/woocommerce/events' ) ) {
				return $pre;
			}
			$events           = json_decode( $args['body'], true )['events'];
			$this->received[] = array( 'keys' => wp_list_pluck( $events, 'key' ), 'headers' => $args['headers'] );
			$results          = array();
			foreach ( $events as $event ) {
				$results[] = array( 'key' => $event['key'], 'outcome' => 'accepted' );
			}
			return array( 'headers' => array(), 'body' => wp_json_encode( array( 'results' => $results ) ), 'response' => array( 'code' => 200, 'message' => 'OK' ), 'cookies' => array() );
		};
		add_filter( 'pre_http_request', $this->connector, 10, 3 );
	}

	protected function tearDown(): void {
		global $wpdb;
		remove_filter( 'pre_http_request', $this->connector, 10 );
		$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table() . ' WHERE id > %d', $this->queue_max ) ); // phpcs:ignore
		$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . ActionScheduler_QueueRunner::table() . ' WHERE action_id > %d', $this->action_max ) ); // phpcs:ignore
		false === $this->backfill ? delete_option( Backfill::OPTION ) : update_option( Backfill::OPTION, $this->backfill, false );
		false === $this->pairing ? delete_option( Options::PAIRING ) : update_option( Options::PAIRING, $this->pairing, false );
	}

	/** @return string Status of a queue row. */
	private function status( $key ) {
		global $wpdb;
		return (string) $wpdb->get_var( $wpdb->prepare( 'SELECT status FROM ' . Schema::table() . ' WHERE event_key = %s', $key ) ); // phpcs:ignore
	}

	/** @return int[] Pending delivery actions due by a time. */
	private function pending_by( $at ) {
		return as_get_scheduled_actions( array( 'hook' => Queue::CRON_HOOK, 'group' => Runner::GROUP, 'status' => 'pending', 'date' => new DateTime( '@' . $at ), 'per_page' => -1 ), 'ids' );
	}

	public function test_woocommerce_shops_run_on_action_scheduler_and_a_filter_forces_wp_cron() {
		$this->assertSame( 'action-scheduler', Runner::name() );
		add_filter( 'nitka_use_action_scheduler', '__return_false' );
		try {
			$this->assertSame( 'wp-cron', Runner::name() );
		} finally {
			remove_filter( 'nitka_use_action_scheduler', '__return_false' );
		}
	}

	public function test_the_queue_drains_through_action_scheduler() {
		$queue = Queue::instance();
		$now   = 'as-now-' . wp_generate_password( 8, false );
		$later = 'as-later-' . wp_generate_password( 8, false );
		$this->assertTrue( $queue->push( 'customer', $now, array( 'trigger' => 'test' ) ) );
		// One delivery action, due now, in the plugin's group; nothing ran yet.
		$next = as_next_scheduled_action( Queue::CRON_HOOK, array(), Runner::GROUP );
		$this->assertIsInt( $next );
		$this->assertLessThanOrEqual( time(), $next );
		$this->assertSame( 'pending', $this->status( $now ) );

		// An event due in an hour needs no second action: the one due now comes first.
		$this->assertTrue( $queue->push( 'cart', $later, array( 'trigger' => 'abandoned' ), time() + HOUR_IN_SECONDS ) );
		$this->assertCount( 1, $this->pending_by( time() + 2 * HOUR_IN_SECONDS ) );

		$this->assertGreaterThanOrEqual( 1, ActionScheduler_QueueRunner::instance()->run( 'PHPUnit' ) );
		$this->assertSame( 'sent', $this->status( $now ) );
		$this->assertSame( 'pending', $this->status( $later ) );
		$sent = array_merge( ...array_column( $this->received, 'keys' ) );
		$this->assertContains( $now, $sent );
		$this->assertNotContains( $later, $sent );
		$this->assertNotEmpty( $this->received[0]['headers']['X-Nitka-Signature'] );

		// The run, while it was itself in progress, scheduled the next delivery for the later event.
		$next = as_next_scheduled_action( Queue::CRON_HOOK, array(), Runner::GROUP );
		$this->assertIsInt( $next );
		$this->assertGreaterThan( time() + HOUR_IN_SECONDS - 60, $next );
		$this->assertSame( array(), $this->pending_by( time() ) );

		// A new event now is not left behind that later action.
		$again = 'as-again-' . wp_generate_password( 8, false );
		$queue->push( 'customer', $again, array( 'trigger' => 'test' ) );
		$this->assertCount( 1, $this->pending_by( time() ) );
		ActionScheduler_QueueRunner::instance()->run( 'PHPUnit' );
		$this->assertSame( 'sent', $this->status( $again ) );
		$this->assertSame( 'pending', $this->status( $later ) );
	}

	public function test_the_backfill_steps_through_action_scheduler() {
		$orders = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$orders[] = wc_create_order( array( 'status' => 'processing', 'billing' => array( 'email' => "as-backfill-{$i}@example.com" ) ) );
		}
		Backfill::start();
		$this->assertTrue( as_next_scheduled_action( Backfill::CRON_HOOK, array(), Runner::GROUP ), 'an async action is pending' );
		// Starting twice does not add a second pending step.
		Backfill::start();
		$this->assertCount( 1, as_get_scheduled_actions( array( 'hook' => Backfill::CRON_HOOK, 'group' => Runner::GROUP, 'status' => 'pending' ), 'ids' ) );

		ActionScheduler_QueueRunner::instance()->run( 'PHPUnit' );
		$state = Backfill::state();
		$this->assertSame( 'done', $state['status'] );
		$this->assertSame( $state['total'], $state['done'] );
		$this->assertFalse( as_has_scheduled_action( Backfill::CRON_HOOK, null, Runner::GROUP ) );
		// The backfilled orders went out through the delivery action in the same runner pass.
		$sent = array_merge( array(), ...array_column( $this->received, 'keys' ) );
		foreach ( $orders as $order ) {
			$this->assertNotEmpty( preg_grep( '/^order:' . $order->get_id() . ':/', $sent ) );
			wp_delete_post( $order->get_id(), true );
		}
	}

	public function test_without_action_scheduler_delivery_goes_to_wp_cron_earliest_first() {
		add_filter( 'nitka_use_action_scheduler', '__return_false' );
		try {
			wp_clear_scheduled_hook( Queue::CRON_HOOK );
			Queue::instance()->schedule( time() + HOUR_IN_SECONDS );
			Queue::instance()->schedule( time() + 60 );
			$this->assertLessThanOrEqual( time() + 60, wp_next_scheduled( Queue::CRON_HOOK ) );
			$this->assertSame( array(), $this->pending_by( time() + 2 * HOUR_IN_SECONDS ) );
		} finally {
			wp_clear_scheduled_hook( Queue::CRON_HOOK );
			remove_filter( 'nitka_use_action_scheduler', '__return_false' );
		}
	}

	public function test_deactivation_cancels_pending_actions() {
		Queue::instance()->push( 'customer', 'as-deactivate-' . wp_generate_password( 8, false ), array( 'trigger' => 'test' ) );
		$this->assertTrue( as_has_scheduled_action( Queue::CRON_HOOK, null, Runner::GROUP ) );
		Runner::clear( Queue::CRON_HOOK );
		$this->assertFalse( as_has_scheduled_action( Queue::CRON_HOOK, null, Runner::GROUP ) );
	}
}
