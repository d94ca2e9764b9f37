<?php
/**
 * The plugin's tables: the durable queue of shop events on their way to the connector, and the
 * nonces of signed connector calls seen within the replay window.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Install;

defined( 'ABSPATH' ) || exit;

/** Creates, upgrades and drops the queue table. */
final class Schema {
	const VERSION        = '2';
	const VERSION_OPTION = 'nitka_db_version';

	/** @return string */
	public static function table() {
		global $wpdb;
		return $wpdb->prefix . 'nitka_queue';
	}

	/** @return string The replay store: one row per nonce accepted within the replay window. */
	public static function nonces_table() {
		global $wpdb;
		return $wpdb->prefix . 'nitka_nonces';
	}

	/** Activation: creates or upgrades the table (dbDelta is idempotent). */
	public static function install() {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$table} (
				id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
				event_key varchar(191) NOT NULL,
				kind varchar(40) NOT NULL,
				payload longtext NOT NULL,
				status varchar(20) NOT NULL DEFAULT 'pending',
				attempts int(11) NOT NULL DEFAULT 0,
				next_attempt_at bigint(20) NOT NULL DEFAULT 0,
				last_error text NULL,
				created_at bigint(20) NOT NULL,
				sent_at bigint(20) NULL,
				PRIMARY KEY  (id),
				UNIQUE KEY event_key (event_key),
				KEY status_next (status,next_attempt_at)
			) {$charset};"
		);
		$nonces = self::nonces_table();
		dbDelta(
			"CREATE TABLE {$nonces} (
				nonce varchar(64) NOT NULL,
				seen_at bigint(20) NOT NULL,
				PRIMARY KEY  (nonce),
				KEY seen_at (seen_at)
			) {$charset};"
		);
		// Version 1 kept seen nonces in one option (read-modify-write: two concurrent calls could both pass).
		delete_option( 'nitka_seen_nonces' );
		update_option( self::VERSION_OPTION, self::VERSION, false );
	}

	/** Runs install() after an update that changed the schema (activation hooks do not run on updates). */
	public static function maybe_upgrade() {
		if ( get_option( self::VERSION_OPTION ) !== self::VERSION && did_action( 'plugins_loaded' ) === 0 ) {
			add_action( 'plugins_loaded', array( self::class, 'install' ), 1 );
		}
	}

	/** Uninstall: drops the tables. */
	public static function drop() {
		global $wpdb;
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::nonces_table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery
	}
}
