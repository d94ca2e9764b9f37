<?php
/**
 * Plugin Name:          Nitka for WooCommerce
 * Plugin URI:           https://nitka.example/woocommerce
 * Description:          Shows each customer's whole history — Telegram, VK and MAX conversations, marketplace orders, counter visits and shop orders — on the WooCommerce order and customer screens, and lets staff answer from there. Needs a Nitka connector.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Author:               Nitka
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          nitka
 * Domain Path:          /languages
 * WC requires at least: 7.1
 * WC tested up to:      8.9
 *
 * @package Nitka\WooCommerce
 */

defined( 'ABSPATH' ) || exit;

define( 'NITKA_VERSION', '0.1.0' );
define( 'NITKA_FILE', __FILE__ );
define( 'NITKA_DIR', __DIR__ );

require_once __DIR__ . '/includes/Autoloader.php';
Nitka\WooCommerce\Autoloader::register( 'Nitka\\WooCommerce\\', __DIR__ . '/includes/' );

register_activation_hook( __FILE__, array( Nitka\WooCommerce\Install\Schema::class, 'install' ) );
register_deactivation_hook( __FILE__, array( Nitka\WooCommerce\Plugin::class, 'deactivate' ) );

Nitka\WooCommerce\Plugin::instance()->boot();
