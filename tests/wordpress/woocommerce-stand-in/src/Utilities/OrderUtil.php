<?php
/**
 * Automattic\WooCommerce\Utilities\OrderUtil: HPOS helpers. The stand-in keeps orders as posts
 * either way; the option only switches which admin screen shows them, as it does in WooCommerce.
 *
 * @package Nitka\Tests
 */

namespace Automattic\WooCommerce\Utilities;

defined( 'ABSPATH' ) || exit;

/** Stand-in for OrderUtil. */
final class OrderUtil {
	/** @return bool */
	public static function custom_orders_table_usage_is_enabled() {
		return 'yes' === get_option( 'woocommerce_custom_orders_table_enabled' );
	}

	/** @return string 'woocommerce_page_wc-orders' with HPOS, else 'shop_order'. */
	public static function get_order_admin_screen() {
		return self::custom_orders_table_usage_is_enabled() ? 'woocommerce_page_wc-orders' : 'shop_order';
	}

	/** @param int $order_id Order id. @return string */
	public static function get_order_admin_edit_url( $order_id ) {
		return self::custom_orders_table_usage_is_enabled()
			? admin_url( 'admin.php?page=wc-orders&action=edit&id=' . absint( $order_id ) )
			: admin_url( 'post.php?post=' . absint( $order_id ) . '&action=edit' );
	}

	/** @param mixed $post_or_order Order, post or id. @return bool */
	public static function is_order( $post_or_order, $types = array( 'shop_order' ) ) {
		$id = is_object( $post_or_order ) ? ( method_exists( $post_or_order, 'get_id' ) ? $post_or_order->get_id() : $post_or_order->ID ) : absint( $post_or_order );
		return in_array( get_post_type( $id ), $types, true );
	}
}
