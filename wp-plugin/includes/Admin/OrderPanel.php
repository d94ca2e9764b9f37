<?php
/**
 * The timeline panel on the order edit screen, for both order storages: the HPOS screen passes a
 * WC_Order to the meta box, the posts screen a WP_Post.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Admin;

use Nitka\WooCommerce\Compat;

defined( 'ABSPATH' ) || exit;

/** Order screen meta box. */
final class OrderPanel {
	/** Hooks. */
	public static function hook() {
		add_action( 'add_meta_boxes', array( self::class, 'register' ), 30, 2 );
	}

	/**
	 * @param string $screen_id Screen id or post type.
	 * @param mixed  $object    WC_Order (HPOS) or WP_Post.
	 */
	public static function register( $screen_id, $object = null ) {
		if ( ! in_array( $screen_id, Compat::order_screens(), true ) || ! current_user_can( 'edit_shop_orders' ) ) {
			return;
		}
		add_meta_box( 'nitka-timeline', __( 'Customer history (Nitka)', 'nitka' ), array( self::class, 'render' ), $screen_id, 'normal', 'default' );
	}

	/** @param mixed $object WC_Order or WP_Post. */
	public static function render( $object ) {
		$order_id = $object instanceof \WP_Post ? $object->ID : ( is_object( $object ) && method_exists( $object, 'get_id' ) ? $object->get_id() : 0 );
		printf( '<div class="nitka-timeline" data-order="%d">%s</div>', (int) $order_id, Menu::noscript() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	}
}
