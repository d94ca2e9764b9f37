<?php
/**
 * The settings screen's quarantine proxy: /nitka/v1/quarantine and /nitka/v1/quarantine/{id}/requeue
 * check manage_woocommerce like every settings route, call the connector signed, and pass on only
 * the fields the screen shows (never a payload). The connector is stood in by pre_http_request.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\Signer;
use Nitka\WooCommerce\Options;
use PHPUnit\Framework\TestCase;

final class QuarantineRouteTest extends TestCase {
	const ITEM = '01JXQ8M3ZC4K7T9B2N6R5W0HAD';
	const KEY  = 'shared-secret-for-quarantine-test';

	/** @var array|false */
	private $pairing;
	/** @var array Requests the stand-in connector received. */
	private $sent = array();
	/** @var array|null The stand-in connector's answer. */
	private $answer;

	protected function setUp(): void {
		$this->pairing = get_option( Options::PAIRING );
		$this->sent    = array();
		add_filter( 'pre_http_request', array( $this, 'connector' ), 10, 3 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_http_request', array( $this, 'connector' ), 10 );
		wp_set_current_user( 0 );
		if ( false === $this->pairing ) {
			delete_option( Options::PAIRING );
		} else {
			update_option( Options::PAIRING, $this->pairing, false );
		}
	}

	/** The stand-in connector: records the request and answers with $this->answer. */
	public function connector( $pre, $args, $url ) {
		$this->sent[] = array( 'url' => $url, 'args' => $args );
		return $this->answer;
	}

	private function pair() {
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => '01JSITE0000000000000000009', 'tenant_id' => 't' ), self::KEY );
	}

	private function call( $method, $route ) {
		return rest_do_request( new WP_REST_Request( $method, $route ) );
	}

	public function test_routes_need_manage_woocommerce() {
		$this->pair();
		$requeue = '/nitka/v1/quarantine/' . self::ITEM . '/requeue';
		$this->assertSame( 401, $this->call( 'GET', '/nitka/v1/quarantine' )->get_status() );
		$this->assertSame( 401, $this->call( 'POST', $requeue )->get_status() );
		$customer = wp_insert_user( array( 'user_login' => 'quarantine-' . wp_generate_password( 6, false ), 'user_pass' => 'x', 'role' => 'customer' ) );
		wp_set_current_user( $customer );
		$this->assertSame( 403, $this->call( 'GET', '/nitka/v1/quarantine' )->get_status() );
		$this->assertSame( 403, $this->call( 'POST', $requeue )->get_status() );
		$this->assertSame( array(), $this->sent, 'the connector is never asked for a caller without the capability' );
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $customer );
	}

	public function test_lists_signed_and_passes_on_only_what_the_screen_shows() {
		$this->pair();
		wp_set_current_user( 1 );
		$item         = array(
			'id'             => self::ITEM,
			'inbox'          => 'marketplaces',
			'source'         => 'ozon',
			'connectionId'   => '01JCONNECTION0000000000000',
			'connectionName' => 'Ozon · Лента',
			'receivedAt'     => '2026-11-24T00:00:00.000Z',
			'attempts'       => 1,
			'error'          => 'result.postings.0.status: Invalid input',
			'payload'        => '{"customer":{"phone":"+79995550001"}}',
			'sourceKey'      => 'ozon:page:1',
		);
		$this->answer = array(
			'response' => array( 'code' => 200, 'message' => 'OK' ),
			'headers'  => array(),
			'body'     => wp_json_encode( array( 'items' => array( $item ), 'more' => true ) ),
		);
		$response     = $this->call( 'GET', '/nitka/v1/quarantine' );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertTrue( $data['more'] );
		$this->assertSame( array( 'id', 'inbox', 'source', 'connectionId', 'connectionName', 'receivedAt', 'attempts', 'error' ), array_keys( $data['items'][0] ) );
		$this->assertSame( 'Ozon · Лента', $data['items'][0]['connectionName'] );
		$this->assertStringNotContainsString( '79995550001', wp_json_encode( $data ) );

		$this->assertCount( 1, $this->sent );
		$this->assertSame( 'http://127.0.0.1:9/api/v1/woocommerce/quarantine?limit=100', $this->sent[0]['url'] );
		$headers = $this->sent[0]['args']['headers'];
		$this->assertSame( 'GET', $this->sent[0]['args']['method'] );
		$this->assertSame( Signer::sign( self::KEY, 'GET', '/api/v1/woocommerce/quarantine?limit=100', $headers['X-Nitka-Timestamp'], $headers['X-Nitka-Nonce'], '' ), $headers['X-Nitka-Signature'] );
	}

	public function test_requeue_is_a_signed_post_for_that_item_only() {
		$this->pair();
		wp_set_current_user( 1 );
		$this->answer = array( 'response' => array( 'code' => 204, 'message' => 'No Content' ), 'headers' => array(), 'body' => '' );
		$response     = $this->call( 'POST', '/nitka/v1/quarantine/' . self::ITEM . '/requeue' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'requeued' => self::ITEM ), $response->get_data() );
		$this->assertSame( 'http://127.0.0.1:9/api/v1/woocommerce/quarantine/' . self::ITEM . '/requeue', $this->sent[0]['url'] );
		$this->assertSame( 'POST', $this->sent[0]['args']['method'] );
		$this->assertArrayHasKey( 'X-Nitka-Signature', $this->sent[0]['args']['headers'] );

		// Anything but an item id is no route at all; the connector's 404 stays a 404.
		$this->assertSame( 404, $this->call( 'POST', '/nitka/v1/quarantine/..%2Fhealth/requeue' )->get_status() );
		$this->answer = array( 'response' => array( 'code' => 404, 'message' => 'Not Found' ), 'headers' => array(), 'body' => '{"detail":"quarantined item not found"}' );
		$this->assertSame( 404, $this->call( 'POST', '/nitka/v1/quarantine/' . self::ITEM . '/requeue' )->get_status() );
	}

	public function test_unpaired_shop_gets_a_clear_conflict() {
		delete_option( Options::PAIRING );
		wp_set_current_user( 1 );
		$this->assertSame( 409, $this->call( 'GET', '/nitka/v1/quarantine' )->get_status() );
		$this->assertSame( array(), $this->sent );
	}

	public function test_every_string_of_the_screen_has_its_russian_translation() {
		$root  = dirname( __DIR__, 3 ) . '/wp-plugin';
		$files = glob( $root . '/languages/nitka-ru_RU-*.json' );
		$this->assertCount( 1, $files );
		$messages = json_decode( file_get_contents( $files[0] ), true )['locale_data']['messages'];
		preg_match_all( "/__\\(\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*,\\s*'nitka'/", file_get_contents( $root . '/src/quarantine.js' ), $m );
		$this->assertGreaterThanOrEqual( 8, count( $m[1] ) );
		foreach ( $m[1] as $msgid ) {
			$this->assertNotEmpty( $messages[ $msgid ][0] ?? '', "no Russian for \"$msgid\"" );
		}
		$this->assertSame( 'ИНН', $messages['INN'][0] ?? null );
	}
}
