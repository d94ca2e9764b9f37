<?php
/**
 * Removes everything the plugin stored: options, transients, the queue and nonce tables, scheduled hooks.
 * The connector keeps the shop's history; unpair there to erase it.
 *
 * @package Nitka\WooCommerce
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;

foreach ( array( 'nitka_pairing', 'nitka_health', 'nitka_backfill', 'nitka_db_version', 'nitka_queue_lock', 'nitka_seen_nonces', 'nitka_timeline_generation', 'nitka_cart_idle_minutes' ) as $nitka_option ) {
	delete_option( $nitka_option );
}
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_nitka\\_%' OR option_name LIKE '\\_transient\\_timeout\\_nitka\\_%'" ); // phpcs:ignore WordPress.DB
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}nitka_queue" ); // phpcs:ignore WordPress.DB
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}nitka_nonces" ); // phpcs:ignore WordPress.DB
foreach ( array( 'nitka_deliver_events', 'nitka_backfill_step' ) as $nitka_hook ) {
	wp_clear_scheduled_hook( $nitka_hook );
	if ( function_exists( 'as_unschedule_all_actions' ) ) {
		as_unschedule_all_actions( $nitka_hook, array(), 'nitka' );
	}
}
