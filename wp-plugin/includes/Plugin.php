<?php
/**
 * Wires the plugin's parts to WordPress and WooCommerce hooks.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** The plugin's composition root. */
final class Plugin {
	/** @var Plugin|null */
	private static $instance = null;

	/** @return Plugin */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/** Registers hooks; the WooCommerce-dependent parts wait until WooCommerce has loaded. */
	public function boot() {
		add_action( 'init', array( $this, 'load_textdomain' ) );
		add_action( 'before_woocommerce_init', array( Compat::class, 'declare_compatibility' ) );
		add_action( 'plugins_loaded', array( $this, 'on_plugins_loaded' ) );
		add_action( 'rest_api_init', array( Rest\Routes::class, 'register' ) );
		add_action( 'wp_default_scripts', array( Admin\Assets::class, 'jsx_runtime_shim' ), 20 );
		Install\Schema::maybe_upgrade();
		Queue\Queue::instance()->hook();
	}

	/** Loads translations from languages/. */
	public function load_textdomain() {
		load_plugin_textdomain( 'nitka', false, dirname( plugin_basename( NITKA_FILE ) ) . '/languages' );
	}

	/** Everything that needs WooCommerce, or the notice that it is missing. */
	public function on_plugins_loaded() {
		if ( ! Compat::woocommerce_active() ) {
			add_action( 'admin_notices', array( Admin\Notices::class, 'woocommerce_missing' ) );
			return;
		}
		Events\OrderEvents::hook();
		Events\CustomerEvents::hook();
		Events\CartEvents::hook();
		Events\Backfill::hook();
		Admin\Assets::hook();
		Admin\Menu::hook();
		Admin\OrderPanel::hook();
		Admin\UserPanel::hook();
		Front\UpdatesButton::hook();
		Front\LoyaltyCard::hook();
		Orders\PickupStatus::hook();
	}

	/** Unschedules background work; data stays until uninstall. */
	public static function deactivate() {
		Queue\Runner::clear( Queue\Queue::CRON_HOOK );
		Queue\Runner::clear( Events\Backfill::CRON_HOOK );
		Orders\PickupStatus::release();
	}
}
