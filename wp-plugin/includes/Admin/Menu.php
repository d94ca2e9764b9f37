<?php
/**
 * The plugin's pages under WooCommerce: settings (pairing and health) and customer lookup.
 * Each is a mount point for the admin bundle.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Admin;

defined( 'ABSPATH' ) || exit;

/** Admin menu entries. */
final class Menu {
	/** Hooks. */
	public static function hook() {
		add_action( 'admin_menu', array( self::class, 'register' ), 60 );
	}

	/** Registers the pages. */
	public static function register() {
		add_submenu_page( 'woocommerce', __( 'Nitka', 'nitka' ), __( 'Nitka', 'nitka' ), 'manage_woocommerce', 'nitka', array( self::class, 'settings' ) );
		add_submenu_page( 'woocommerce', __( 'Customer history', 'nitka' ), __( 'Customer history', 'nitka' ), 'manage_woocommerce', 'nitka-lookup', array( self::class, 'lookup' ) );
	}

	/** Settings page. */
	public static function settings() {
		echo '<div class="wrap"><h1>' . esc_html__( 'Nitka', 'nitka' ) . '</h1><div id="nitka-settings">' . self::noscript() . '</div></div>';
	}

	/** Lookup page. */
	public static function lookup() {
		echo '<div class="wrap"><h1>' . esc_html__( 'Customer history', 'nitka' ) . '</h1><div id="nitka-lookup">' . self::noscript() . '</div></div>';
	}

	/** @return string What shows until the bundle mounts. */
	public static function noscript() {
		return '<p class="nitka-loading">' . esc_html__( 'Loading…', 'nitka' ) . '</p>';
	}
}
