<?php
/**
 * WooCommerce detection, HPOS compatibility and the order screen ids of both storages.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce;

use Automattic\WooCommerce\Utilities\FeaturesUtil;
use Automattic\WooCommerce\Utilities\OrderUtil;

defined( 'ABSPATH' ) || exit;

/** What differs between WooCommerce versions and order storages. */
final class Compat {
	/** @return bool */
	public static function woocommerce_active() {
		return class_exists( 'WooCommerce' ) && function_exists( 'wc_get_order' );
	}

	/** The plugin reads orders only through WC_Order, so it works with custom order tables (HPOS). */
	public static function declare_compatibility() {
		if ( class_exists( FeaturesUtil::class ) ) {
			FeaturesUtil::declare_compatibility( 'custom_order_tables', NITKA_FILE, true );
		}
	}

	/** @return string[] Screen ids of the order edit screen: HPOS and legacy posts. */
	public static function order_screens() {
		return array( 'woocommerce_page_wc-orders', 'shop_order' );
	}

	/** @return bool */
	public static function hpos_enabled() {
		return class_exists( OrderUtil::class ) && OrderUtil::custom_orders_table_usage_is_enabled();
	}
}
