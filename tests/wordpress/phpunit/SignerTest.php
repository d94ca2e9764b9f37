<?php
/**
 * Request signatures: the shared vector (also checked by the connector's TypeScript), replay
 * window, tampering.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\Signer;
use PHPUnit\Framework\TestCase;

final class SignerTest extends TestCase {
	public function test_matches_the_cross_language_vector() {
		$this->assertSame(
			'v1=' . hash_hmac( 'sha256', "v1\nPOST\n/api/v1/woocommerce/events\n1700000000\nnonce-0123456789abcdef\n" . hash( 'sha256', '{"a":1}' ), 'secret' ),
			Signer::sign( 'secret', 'post', '/api/v1/woocommerce/events', 1700000000, 'nonce-0123456789abcdef', '{"a":1}' )
		);
	}

	public function test_verifies_a_fresh_signature_and_rejects_tampering() {
		$sig = Signer::sign( 's', 'POST', '/nitka/v1/connector/ping', 1000, 'abcdefghijklmnop', 'body' );
		$this->assertTrue( Signer::verify( 's', 'POST', '/nitka/v1/connector/ping', '1000', 'abcdefghijklmnop', 'body', $sig, 1100 ) );
		$this->assertSame( 'bad signature', Signer::verify( 's', 'POST', '/nitka/v1/connector/ping', '1000', 'abcdefghijklmnop', 'body!', $sig, 1100 ) );
		$this->assertSame( 'bad signature', Signer::verify( 'other', 'POST', '/nitka/v1/connector/ping', '1000', 'abcdefghijklmnop', 'body', $sig, 1100 ) );
		$this->assertSame( 'bad signature', Signer::verify( 's', 'GET', '/nitka/v1/connector/ping', '1000', 'abcdefghijklmnop', 'body', $sig, 1100 ) );
	}

	public function test_rejects_signatures_outside_the_five_minute_window() {
		$sig = Signer::sign( 's', 'POST', '/p', 1000, 'abcdefghijklmnop', '' );
		$this->assertSame( 'timestamp outside the replay window', Signer::verify( 's', 'POST', '/p', '1000', 'abcdefghijklmnop', '', $sig, 1301 ) );
		$this->assertSame( 'timestamp outside the replay window', Signer::verify( 's', 'POST', '/p', '1000', 'abcdefghijklmnop', '', $sig, 699 ) );
		$this->assertSame( 'missing or malformed nonce', Signer::verify( 's', 'POST', '/p', '1000', 'short', '', $sig, 1000 ) );
	}
}
