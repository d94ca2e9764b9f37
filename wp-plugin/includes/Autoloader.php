<?php
/**
 * PSR-4 autoloader, so the plugin needs no Composer at runtime.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** Maps Nitka\WooCommerce\Foo\Bar to includes/Foo/Bar.php. */
final class Autoloader {
	/**
	 * @param string $prefix   Namespace prefix with trailing backslash.
	 * @param string $base_dir Folder with trailing slash.
	 */
	public static function register( $prefix, $base_dir ) {
		spl_autoload_register(
			static function ( $class_name ) use ( $prefix, $base_dir ) {
				if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
					return;
				}
				$file = $base_dir . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
				if ( is_readable( $file ) ) {
					require $file;
				}
			}
		);
	}
}
