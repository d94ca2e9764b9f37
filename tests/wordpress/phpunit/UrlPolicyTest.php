<?php
/**
 * Connector URLs: HTTPS anywhere, HTTP only on loopback.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\UrlPolicy;
use PHPUnit\Framework\TestCase;

final class UrlPolicyTest extends TestCase {
	public function test_allows_https_and_loopback_http() {
		$this->assertSame( 'https://nitka.example.com', UrlPolicy::normalize( 'https://nitka.example.com/' ) );
		$this->assertSame( 'http://127.0.0.1:8080', UrlPolicy::normalize( ' http://127.0.0.1:8080/ ' ) );
		$this->assertSame( 'http://localhost:8080', UrlPolicy::normalize( 'http://localhost:8080' ) );
		$this->assertSame( 'http://[::1]:8080', UrlPolicy::normalize( 'http://[::1]:8080' ) );
	}

	public function test_refuses_plain_http_elsewhere_and_junk() {
		$this->assertSame( 'nitka_insecure_url', UrlPolicy::normalize( 'http://nitka.example.com' )->get_error_code() );
		$this->assertSame( 'nitka_insecure_url', UrlPolicy::normalize( 'http://127.0.0.1.evil.example' )->get_error_code() );
		$this->assertSame( 'nitka_bad_url', UrlPolicy::normalize( 'nitka.example.com' )->get_error_code() );
		$this->assertSame( 'nitka_bad_url', UrlPolicy::normalize( 'https://user:pw@nitka.example.com' )->get_error_code() );
		$this->assertSame( 'nitka_insecure_url', UrlPolicy::normalize( 'ftp://127.0.0.1' )->get_error_code() );
	}
}
