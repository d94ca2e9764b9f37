<?php
/**
 * Automattic\WooCommerce\Utilities\FeaturesUtil: where extensions declare feature compatibility.
 *
 * @package Nitka\Tests
 */

namespace Automattic\WooCommerce\Utilities;

defined( 'ABSPATH' ) || exit;

/** Stand-in for FeaturesUtil; records declarations so tests can read them. */
class FeaturesUtil {
	/** @var array feature => plugin basename => bool */
	public static $declared = array();

	/**
	 * @param string $feature_id         e.g. 'custom_order_tables'.
	 * @param string $plugin_file        The plugin's main file.
	 * @param bool   $positive_compatibility True when compatible.
	 * @return bool
	 */
	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		if ( ! did_action( 'before_woocommerce_init' ) || did_action( 'woocommerce_init' ) ) {
			_doing_it_wrong( __METHOD__, 'Declare compatibility inside the before_woocommerce_init action.', '7.1' );
			return false;
		}
		self::$declared[ $feature_id ][ plugin_basename( $plugin_file ) ] = (bool) $positive_compatibility;
		return true;
	}
}
