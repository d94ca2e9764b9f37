<?php
/**
 * wp-config for the test WordPress (written by tests/wordpress/setup.sh). Not for production:
 * fixed keys, local environment, no outbound HTTP but loopback.
 */
define( 'DB_NAME', 'nitka_wp' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', 'localhost:@SOCK@' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'AUTH_KEY', 'nitka-test-1' );
define( 'SECURE_AUTH_KEY', 'nitka-test-2' );
define( 'LOGGED_IN_KEY', 'nitka-test-3' );
define( 'NONCE_KEY', 'nitka-test-4' );
define( 'AUTH_SALT', 'nitka-test-5' );
define( 'SECURE_AUTH_SALT', 'nitka-test-6' );
define( 'LOGGED_IN_SALT', 'nitka-test-7' );
define( 'NONCE_SALT', 'nitka-test-8' );
$table_prefix = 'wp_';
define( 'WP_HOME', '@URL@' );
define( 'WP_SITEURL', '@URL@' );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'DISABLE_WP_CRON', true );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', dirname( __DIR__ ) . '/debug.log' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
