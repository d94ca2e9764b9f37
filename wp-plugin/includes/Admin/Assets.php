<?php
/**
 * The admin bundle (built by @wordpress/scripts into build/), loaded only on the plugin's screens.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Admin;

use Nitka\WooCommerce\Compat;

defined( 'ABSPATH' ) || exit;

/** Script registration and the screens it loads on. */
final class Assets {
	const HANDLE = 'nitka-admin';

	/** Hooks. */
	public static function hook() {
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
	}

	/**
	 * WordPress < 6.6 has no 'react-jsx-runtime' handle, which bundles from @wordpress/scripts ≥ 28
	 * depend on; without it the bundle is silently not enqueued. Register a tiny equivalent.
	 *
	 * @param \WP_Scripts $scripts Scripts registry.
	 */
	public static function jsx_runtime_shim( $scripts ) {
		if ( $scripts->query( 'react-jsx-runtime', 'registered' ) ) {
			return;
		}
		$scripts->add( 'react-jsx-runtime', false, array( 'react' ) );
		$scripts->add_data( 'react-jsx-runtime', 'after', array( 'window.ReactJSXRuntime = window.ReactJSXRuntime || (function (R) { function jsx(t, p, k) { var q = Object.assign({}, p); if (k !== undefined) q.key = k; return R.createElement(t, q); } return { jsx: jsx, jsxs: jsx, Fragment: R.Fragment }; })(window.React);' ) );
	}

	/** @param string $hook_suffix Current admin page. */
	public static function enqueue( $hook_suffix ) {
		$screen = get_current_screen();
		$ours   = in_array( $hook_suffix, array( 'profile.php', 'user-edit.php' ), true )
			|| ( $screen && in_array( $screen->id, Compat::order_screens(), true ) )
			|| ( $screen && false !== strpos( $screen->id, 'nitka' ) );
		if ( ! $ours ) {
			return;
		}
		$asset_file = NITKA_DIR . '/build/admin.asset.php';
		if ( ! is_readable( $asset_file ) ) {
			return; // Not built: the PHP parts still work, the panels say so.
		}
		$asset = require $asset_file;
		wp_enqueue_script( self::HANDLE, plugins_url( 'build/admin.js', NITKA_FILE ), $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( self::HANDLE, 'nitka', NITKA_DIR . '/languages' );
		if ( is_readable( NITKA_DIR . '/build/admin.css' ) ) {
			wp_enqueue_style( self::HANDLE, plugins_url( 'build/admin.css', NITKA_FILE ), array( 'wp-components' ), $asset['version'] );
		}
		wp_add_inline_script(
			self::HANDLE,
			'window.nitkaAdmin = ' . wp_json_encode(
				array(
					'nonce'     => wp_create_nonce( 'wp_rest' ),
					'canManage' => current_user_can( 'manage_woocommerce' ),
					'settings'  => admin_url( 'admin.php?page=nitka' ),
				)
			) . ';',
			'before'
		);
	}
}
