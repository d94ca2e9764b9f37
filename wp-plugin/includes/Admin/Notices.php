<?php
/**
 * Admin notices.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Admin;

defined( 'ABSPATH' ) || exit;

/** Notices. */
final class Notices {
	/** Shown to admins while WooCommerce is not active: the plugin then does nothing else. */
	public static function woocommerce_missing() {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		echo '<div class="notice notice-warning"><p>' . esc_html__( 'Nitka for WooCommerce needs WooCommerce. Activate WooCommerce to see customer histories on orders.', 'nitka' ) . '</p></div>';
	}
}
