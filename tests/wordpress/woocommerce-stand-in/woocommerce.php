<?php
/**
 * Plugin Name: WooCommerce (test stand-in)
 * Description: The small part of WooCommerce's API that the Nitka plugin calls, for tests only. Follows WooCommerce's class, function and hook signatures; it is not WooCommerce.
 * Version: 8.9.0
 * Requires PHP: 7.4
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

define( 'WC_STAND_IN_FILE', __FILE__ );

// WooCommerce loads its bundled Action Scheduler first thing.
require __DIR__ . '/includes/action-scheduler.php';
require __DIR__ . '/includes/class-wc-datetime.php';
require __DIR__ . '/includes/class-wc-order-item-product.php';
require __DIR__ . '/includes/class-wc-order-item-shipping.php';
require __DIR__ . '/includes/class-wc-customer.php';
require __DIR__ . '/includes/class-wc-order.php';
require __DIR__ . '/includes/class-woocommerce.php';
require __DIR__ . '/includes/class-wc-session-handler.php';
require __DIR__ . '/includes/class-wc-cart.php';
require __DIR__ . '/includes/checkout.php';
require __DIR__ . '/includes/wc-functions.php';
require __DIR__ . '/includes/product-functions.php';
require __DIR__ . '/includes/admin-screens.php';
require __DIR__ . '/includes/front-pages.php';
require __DIR__ . '/src/Utilities/FeaturesUtil.php';
require __DIR__ . '/src/Utilities/OrderUtil.php';

register_activation_hook( __FILE__, array( 'WooCommerce', 'install' ) );

/**
 * The main instance, as in WooCommerce.
 *
 * @return WooCommerce
 */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
	return WooCommerce::instance();
}
WC();
