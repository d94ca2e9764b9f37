<?php
/**
 * Installs WordPress, activates the WooCommerce stand-in and the plugin, and prints the harness
 * state as JSON (URL, admin login, an Application Password). Idempotent.
 *
 * Usage: php install.php <wp-dir> <url>
 */
$nitka_url                 = $argv[2];
$nitka_host                = (string) wp_parse_url_safe( $nitka_url );
$_SERVER['HTTP_HOST']      = $nitka_host;
$_SERVER['SERVER_NAME']    = '127.0.0.1';
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
define( 'WP_INSTALLING', true );

/** Host and port of a URL, before WordPress is loaded. */
function wp_parse_url_safe( $url ) {
	$parts = parse_url( $url );
	return $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
}

require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

/** No mail transport here: skip the install e-mail. */
function wp_new_blog_notification() {}

$nitka_admin_password = 'admin-pass-123';
if ( ! is_blog_installed() ) {
	wp_install( 'Nitka test shop', 'admin', 'admin@example.com', false, '', $nitka_admin_password );
	update_option( 'permalink_structure', '/%postname%/' );
	update_option( 'show_avatars', 0 );
	update_option( 'timezone_string', 'Europe/Moscow' );
}
// WP_INSTALLING suppresses plugin loading; activation needs the plugins' code, so load it here.
foreach ( array( 'woocommerce/woocommerce.php', 'nitka/nitka.php' ) as $nitka_plugin ) {
	if ( ! is_plugin_active( $nitka_plugin ) ) {
		$nitka_result = activate_plugin( $nitka_plugin );
		if ( is_wp_error( $nitka_result ) ) {
			fwrite( STDERR, $nitka_plugin . ': ' . $nitka_result->get_error_message() . "\n" );
			exit( 1 );
		}
	}
}

$nitka_user   = get_user_by( 'login', 'admin' );
$nitka_stored = get_option( 'nitka_test_app_password' );
if ( ! $nitka_stored || ! WP_Application_Passwords::application_name_exists_for_user( $nitka_user->ID, 'nitka-tests' ) ) {
	list( $nitka_stored ) = WP_Application_Passwords::create_new_application_password( $nitka_user->ID, array( 'name' => 'nitka-tests' ) );
	update_option( 'nitka_test_app_password', $nitka_stored, false );
}
echo wp_json_encode(
	array(
		'url'                 => $nitka_url,
		'wpDir'               => $argv[1],
		'admin'               => 'admin',
		'adminPassword'       => $nitka_admin_password,
		'applicationPassword' => $nitka_stored,
		'wordpress'           => get_bloginfo( 'version' ),
		'php'                 => PHP_VERSION,
	),
	JSON_PRETTY_PRINT
) . "\n";
