<?php
/**
 * My Account → "Loyalty card" inside WordPress: the endpoint's query var, the tab before "Log out"
 * only for a paired shop, the Russian title, the printed number, the unavailable notice.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Front\LoyaltyCard;
use Nitka\WooCommerce\Options;
use PHPUnit\Framework\TestCase;

final class LoyaltyCardTest extends TestCase {
	/** @var array|false */
	private $pairing;

	protected function setUp(): void {
		$this->pairing = get_option( Options::PAIRING );
	}

	protected function tearDown(): void {
		if ( false === $this->pairing ) {
			delete_option( Options::PAIRING );
		} else {
			update_option( Options::PAIRING, $this->pairing, false );
		}
	}

	private const MENU = array( 'dashboard' => 'Dashboard', 'orders' => 'Orders', 'customer-logout' => 'Log out' );

	public function test_registers_the_endpoint_as_a_woocommerce_query_var() {
		$vars = apply_filters( 'woocommerce_get_query_vars', array() );
		$this->assertSame( 'loyalty-card', $vars['loyalty-card'] ?? null );
		$this->assertTrue( has_action( 'woocommerce_account_loyalty-card_endpoint' ) !== false );
	}

	public function test_the_tab_comes_before_log_out_once_paired() {
		delete_option( Options::PAIRING );
		$this->assertSame( self::MENU, apply_filters( 'woocommerce_account_menu_items', self::MENU, array() ) );
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => '01JSITE0000000000000000000', 'tenant_id' => 't' ), 'secret' );
		$items = apply_filters( 'woocommerce_account_menu_items', self::MENU, array() );
		$this->assertSame( array( 'dashboard', 'orders', 'loyalty-card', 'customer-logout' ), array_keys( $items ) );
		$this->assertSame( 'Loyalty card', $items['loyalty-card'] );
	}

	public function test_says_so_when_the_connector_cannot_answer() {
		// Paired with a connector nobody listens on: the tab renders a notice, never an error.
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => '01JSITE0000000000000000001', 'tenant_id' => 't' ), 'secret' );
		wp_set_current_user( 1 );
		ob_start();
		LoyaltyCard::render();
		$html = ob_get_clean();
		wp_set_current_user( 0 );
		$this->assertStringContainsString( 'nitka-card__unavailable', $html );
		$this->assertStringNotContainsString( '<img', $html );
	}

	public function test_prints_the_number_as_under_an_ean13_and_speaks_russian() {
		$this->assertSame( '2 123456 789012', LoyaltyCard::group_number( '2123456789012' ) );
		$this->assertSame( '12', LoyaltyCard::group_number( '12' ) );
		$russian = static fn() => 'ru_RU';
		add_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
		load_plugin_textdomain( 'nitka', false, 'nitka/languages' );
		$this->assertSame( 'Карта покупателя', LoyaltyCard::title() );
		$this->assertSame( 'Номер карты:', __( 'Card number:', 'nitka' ) );
		remove_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
	}
}
