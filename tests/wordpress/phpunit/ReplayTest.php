<?php
/**
 * The replay store of signed connector calls: a nonce is accepted once, also when the same signed
 * request arrives several times at once (the harness's php -S serves them on parallel workers).
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\Signer;
use Nitka\WooCommerce\Install\Schema;
use Nitka\WooCommerce\Options;
use Nitka\WooCommerce\Rest\ConnectorController;
use PHPUnit\Framework\TestCase;

final class ReplayTest extends TestCase {
	const SITE   = '01JREPLAYTESTSITE000000000';
	const SECRET = 'replay-test-secret';
	const ROUTE  = '/nitka/v1/connector/ping';

	/** @var array|false */
	private $pairing;

	protected function setUp(): void {
		$this->pairing = get_option( Options::PAIRING );
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => self::SITE, 'tenant_id' => 't' ), self::SECRET );
	}

	protected function tearDown(): void {
		if ( false === $this->pairing ) {
			delete_option( Options::PAIRING );
		} else {
			update_option( Options::PAIRING, $this->pairing, false );
		}
	}

	/** @return array<string,string> Signed headers for an empty-bodied POST to the ping route. */
	private function signed( $nonce, $timestamp = null ) {
		$timestamp = $timestamp ?? time();
		return array(
			'X-Nitka-Site'      => self::SITE,
			'X-Nitka-Timestamp' => (string) $timestamp,
			'X-Nitka-Nonce'     => $nonce,
			'X-Nitka-Signature' => Signer::sign( self::SECRET, 'POST', self::ROUTE, $timestamp, $nonce, '' ),
		);
	}

	public function test_a_nonce_is_accepted_once_in_process() {
		$nonce   = 'replay-seq-' . bin2hex( random_bytes( 8 ) );
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_headers( $this->signed( $nonce ) );
		$this->assertSame( 200, rest_do_request( $request )->get_status() );
		$again = rest_do_request( $request );
		$this->assertSame( 401, $again->get_status() );
		$this->assertSame( 'nitka_replay', $again->get_data()['code'] );
	}

	public function test_nonces_older_than_twice_the_window_are_pruned() {
		global $wpdb;
		$table = Schema::nonces_table();
		$old   = 'replay-old-' . bin2hex( random_bytes( 8 ) );
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$table} (nonce, seen_at) VALUES (%s, %d)", $old, time() - 3 * Signer::WINDOW_SECONDS ) ); // phpcs:ignore
		$this->assertTrue( ConnectorController::remember_nonce( 'replay-new-' . bin2hex( random_bytes( 8 ) ) ) );
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE nonce = %s", $old ) ) ); // phpcs:ignore
	}

	public function test_identical_signed_requests_at_once_pass_exactly_once() {
		$url     = add_query_arg( 'rest_route', self::ROUTE, home_url( '/' ) );
		$headers = array();
		foreach ( $this->signed( 'replay-race-' . bin2hex( random_bytes( 8 ) ) ) as $name => $value ) {
			$headers[] = $name . ': ' . $value;
		}
		$multi   = curl_multi_init();
		$handles = array();
		for ( $i = 0; $i < 8; $i++ ) {
			$handle = curl_init( $url );
			curl_setopt_array(
				$handle,
				array(
					CURLOPT_POST           => true,
					CURLOPT_POSTFIELDS     => '',
					CURLOPT_HTTPHEADER     => $headers,
					CURLOPT_RETURNTRANSFER => true,
					CURLOPT_TIMEOUT        => 30,
				)
			);
			curl_multi_add_handle( $multi, $handle );
			$handles[] = $handle;
		}
		do {
			$status = curl_multi_exec( $multi, $running );
			if ( $running ) {
				curl_multi_select( $multi, 1.0 );
			}
		} while ( $running && CURLM_OK === $status );
		$codes = array();
		$seen  = array();
		foreach ( $handles as $handle ) {
			$codes[] = curl_getinfo( $handle, CURLINFO_RESPONSE_CODE );
			$body    = json_decode( (string) curl_multi_getcontent( $handle ), true );
			$seen[]  = $body['code'] ?? ( ! empty( $body['ok'] ) ? 'ok' : 'other' );
			curl_multi_remove_handle( $multi, $handle );
		}
		curl_multi_close( $multi );
		sort( $codes );
		$this->assertSame( array( 200, 401, 401, 401, 401, 401, 401, 401 ), $codes, implode( ',', $seen ) );
		$this->assertSame( 7, count( array_keys( $seen, 'nitka_replay', true ) ) );
	}
}
