<?php
/**
 * The timeline on the user profile screen (a WooCommerce customer is a WordPress user).
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Admin;

defined( 'ABSPATH' ) || exit;

/** User screen section. */
final class UserPanel {
	/** Hooks. */
	public static function hook() {
		add_action( 'show_user_profile', array( self::class, 'render' ), 30 );
		add_action( 'edit_user_profile', array( self::class, 'render' ), 30 );
	}

	/** @param \WP_User $user The user being edited. */
	public static function render( $user ) {
		if ( ! current_user_can( 'edit_shop_orders' ) || ! current_user_can( 'edit_user', $user->ID ) ) {
			return;
		}
		printf( '<h2>%s</h2><div class="nitka-timeline" data-user="%d">%s</div>', esc_html__( 'Customer history (Nitka)', 'nitka' ), (int) $user->ID, Menu::noscript() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	}
}
