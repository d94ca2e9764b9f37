<?php
/**
 * The plugin's REST namespace, nitka/v1. Admin JS talks only to these routes (cookie + nonce);
 * they call the connector server-to-server. Each route checks a WooCommerce capability.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

defined( 'ABSPATH' ) || exit;

/** Registers every route. */
final class Routes {
	const NS = 'nitka/v1';

	/** rest_api_init. */
	public static function register() {
		SettingsController::register( self::NS );
		TimelineController::register( self::NS );
		ConnectorController::register( self::NS );
		QuarantineController::register( self::NS );
		if ( \Nitka\WooCommerce\Compat::woocommerce_active() ) {
			CatalogController::register( self::NS );
			ReturnsController::register( self::NS );
		}
	}

	/** @return bool */
	public static function can_manage() {
		return current_user_can( 'manage_woocommerce' );
	}

	/** @return bool */
	public static function can_edit_orders() {
		return current_user_can( 'edit_shop_orders' ) || current_user_can( 'manage_woocommerce' );
	}

	/**
	 * Turns a connector error into a REST error with a sensible status (never the connector's 401).
	 *
	 * @param \WP_Error $error Error.
	 * @return \WP_Error
	 */
	public static function upstream_error( $error ) {
		$status = (int) ( $error->get_error_data()['status'] ?? 0 );
		$map    = array( 0 => 502, 401 => 502, 403 => 502, 404 => 404, 409 => 409, 400 => 400 );
		// Not paired yet is a conflict with the shop's state (409), not a connector failure: it has no status, so ask first.
		$error->add_data( array( 'status' => 'nitka_not_paired' === $error->get_error_code() ? 409 : ( $map[ $status ] ?? 502 ) ) );
		return $error;
	}
}
