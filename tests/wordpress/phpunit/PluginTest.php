<?php
/**
 * The plugin inside a real WordPress with the WooCommerce stand-in: activation, HPOS
 * declaration, hooks → durable queue, REST capability checks, translations, secrets at rest.
 *
 * @package Nitka\Tests
 */

use Automattic\WooCommerce\Utilities\FeaturesUtil;
use Nitka\WooCommerce\Install\Schema;
use Nitka\WooCommerce\Queue\Queue;
use Nitka\WooCommerce\Secrets;
use PHPUnit\Framework\TestCase;

final class PluginTest extends TestCase {
	/** @var int[] */
	private $orders = array();

	protected function tearDown(): void {
		global $wpdb;
		foreach ( $this->orders as $id ) {
			$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::table() . ' WHERE event_key LIKE %s', 'order:' . $id . ':%' ) ); // phpcs:ignore
			wp_delete_post( $id, true );
		}
		wp_set_current_user( 0 );
	}

	private function order( array $args = array() ) {
		$order          = wc_create_order( array_merge( array( 'status' => 'processing', 'total' => '1990.00', 'billing' => array( 'email' => 'unit@example.com', 'phone' => '+7 912 000-00-01' ) ), $args ) );
		$this->orders[] = $order->get_id();
		return $order;
	}

	private function queued( $order_id ) {
		global $wpdb;
		return $wpdb->get_results( $wpdb->prepare( 'SELECT event_key, payload FROM ' . Schema::table() . ' WHERE event_key LIKE %s ORDER BY id', 'order:' . $order_id . ':%' ), ARRAY_A ); // phpcs:ignore
	}

	public function test_is_active_and_declares_hpos_compatibility() {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$this->assertTrue( is_plugin_active( 'nitka/nitka.php' ) );
		$this->assertTrue( FeaturesUtil::$declared['custom_order_tables']['nitka/nitka.php'] ?? false );
		$this->assertSame( Schema::table(), $GLOBALS['wpdb']->get_var( "SHOW TABLES LIKE '" . Schema::table() . "'" ) );
	}

	public function test_order_hooks_fill_the_durable_queue_once() {
		$order = $this->order();
		$keys  = array_column( $this->queued( $order->get_id() ), 'event_key' );
		$this->assertCount( 2, $keys, 'created + pending→processing' );
		$this->assertStringStartsWith( 'order:' . $order->get_id() . ':created:processing:', $keys[0] );
		$payload = json_decode( $this->queued( $order->get_id() )[0]['payload'], true );
		$this->assertSame( 'unit@example.com', $payload['order']['billing']['email'] );
		$this->assertSame( '1990.00', $payload['order']['total'] );

		// The same hook again (same status and modification time) queues nothing new.
		do_action( 'woocommerce_new_order', $order->get_id(), $order );
		$this->assertCount( 2, $this->queued( $order->get_id() ) );

		$order->update_status( 'completed' );
		wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '500', 'reason' => 'damaged' ) );
		$keys = array_column( $this->queued( $order->get_id() ), 'event_key' );
		$this->assertCount( 4, $keys );
		$this->assertStringContainsString( ':refunded:', $keys[3] );
		$this->assertNotFalse( as_next_scheduled_action( Queue::CRON_HOOK, array(), 'nitka' ), 'Action Scheduler runs delivery (WooCommerce ships it)' );
	}

	public function test_backoff_doubles_and_caps() {
		$this->assertSame( array( 30, 60, 120, 3600 ), array( Queue::backoff( 1 ), Queue::backoff( 2 ), Queue::backoff( 3 ), Queue::backoff( 12 ) ) );
	}

	public function test_rest_routes_check_capabilities() {
		$this->assertSame( 401, rest_do_request( new WP_REST_Request( 'GET', '/nitka/v1/settings' ) )->get_status() );
		$customer = wp_insert_user( array( 'user_login' => 'unit-' . wp_generate_password( 6, false ), 'user_pass' => 'x', 'role' => 'customer' ) );
		wp_set_current_user( $customer );
		$this->assertSame( 403, rest_do_request( new WP_REST_Request( 'GET', '/nitka/v1/settings' ) )->get_status() );
		$request = new WP_REST_Request( 'GET', '/nitka/v1/timeline' );
		$request->set_query_params( array( 'order' => 1 ) );
		$this->assertSame( 403, rest_do_request( $request )->get_status() );
		wp_set_current_user( 1 );
		$this->assertSame( 200, rest_do_request( new WP_REST_Request( 'GET', '/nitka/v1/settings' ) )->get_status() );
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $customer );
	}

	public function test_connector_route_refuses_unsigned_calls() {
		$this->assertSame( 401, rest_do_request( new WP_REST_Request( 'POST', '/nitka/v1/connector/ping' ) )->get_status() );
	}

	public function test_secrets_are_sealed_at_rest() {
		$sealed = Secrets::seal( 'top-secret-value' );
		$this->assertStringStartsWith( 'sb1:', $sealed );
		$this->assertStringNotContainsString( 'top-secret-value', $sealed );
		$this->assertSame( 'top-secret-value', Secrets::open( $sealed ) );
	}

	public function test_russian_translation_loads() {
		// The test site has no Russian core files, so switch_to_locale() would refuse; ask for ru_RU directly.
		$russian = static fn() => 'ru_RU';
		add_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
		load_plugin_textdomain( 'nitka', false, 'nitka/languages' );
		$this->assertSame( 'История клиента', __( 'Customer history', 'nitka' ) );
		$this->assertSame( 'Заказ №7: доставлен', sprintf( __( 'Order #%1$s is %2$s', 'nitka' ), '7', __( 'delivered', 'nitka' ) ) );
		remove_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
	}
}
