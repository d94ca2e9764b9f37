<?php
/**
 * Drives the test shop from the command line, through the WooCommerce stand-in's API and the
 * plugin's classes, and prints JSON. Usage: php shop.php <state.json> <command> [json-args]
 *   reset                    forget the pairing, empty the queue
 *   create-order {...}       wc_create_order() with billing, items, status, customer_id
 *   set-status {id,status}   WC_Order::update_status()
 *   refund {id,amount}       wc_create_refund()
 *   create-customer {...}    a WordPress user with the customer role and billing meta
 *   deliver                  runs the queue's delivery now (what WP-Cron runs)
 *   secret                   the opened shared secret (tests sign requests with it)
 *   hpos {on}                switches the order screen between HPOS and posts
 *   plugin {active}          activates or deactivates the Nitka plugin
 *   create-product {...}     a product post with name, price, sku (status, stockStatus, stock, type, visibility, description)
 *   order {id}               an order as WooCommerce shows it: status, billing, items, shipping lines, Nitka meta, notes
 *   orders-by-key {key}      ids of the orders created under a connector idempotency key
 *   count-users              how many WordPress users exist (chat orders never create one)
 *   delete-products          deletes every product (a test that lists the whole catalog starts empty)
 *   set-stock {id,stockStatus} sets a product's stock status (instock, outofstock)
 *   order-email {id,plain,admin} what woocommerce_email_after_order_table prints into an order email
 *   my-orders-actions {id}   the woocommerce_my_account_my_orders_actions row actions of an order
 *   carts                    the queue's cart rows (key, status, due, payload)
 *   age-carts {seconds}      moves pending carts' idle deadline back, as if that much time had passed
 *
 * @package Nitka\Tests
 */

$nitka_state            = json_decode( (string) file_get_contents( $argv[1] ), true );
$nitka_url              = parse_url( $nitka_state['url'] );
$_SERVER['HTTP_HOST']   = $nitka_url['host'] . ':' . $nitka_url['port'];
$_SERVER['SERVER_NAME'] = $nitka_url['host'];
$_SERVER['REQUEST_URI'] = '/';
require $nitka_state['wpDir'] . '/wp-load.php';

$nitka_args = isset( $argv[3] ) ? json_decode( $argv[3], true ) : array();
switch ( $argv[2] ) {
	case 'reset':
		Nitka\WooCommerce\Options::clear_pairing();
		delete_option( Nitka\WooCommerce\Events\Backfill::OPTION );
		$GLOBALS['wpdb']->query( 'TRUNCATE TABLE ' . Nitka\WooCommerce\Install\Schema::table() ); // phpcs:ignore
		$nitka_out = array( 'ok' => true );
		break;
	case 'create-order':
		$nitka_order = wc_create_order( $nitka_args );
		$nitka_out   = array( 'id' => $nitka_order->get_id(), 'key' => $nitka_order->get_order_key(), 'received' => $nitka_order->get_checkout_order_received_url(), 'edit' => $nitka_order->get_edit_order_url() );
		break;
	case 'set-status':
		wc_get_order( $nitka_args['id'] )->update_status( $nitka_args['status'] );
		$nitka_out = array( 'ok' => true );
		break;
	case 'refund':
		$nitka_out = array( 'id' => wc_create_refund( array( 'order_id' => $nitka_args['id'], 'amount' => $nitka_args['amount'], 'reason' => $nitka_args['reason'] ?? '' ) )->get_id() );
		break;
	case 'create-customer':
		$nitka_id = wp_insert_user( array( 'user_login' => $nitka_args['login'], 'user_pass' => 'customer-pass-123', 'user_email' => $nitka_args['email'], 'first_name' => $nitka_args['firstName'], 'last_name' => $nitka_args['lastName'], 'role' => 'customer' ) );
		update_user_meta( $nitka_id, 'billing_phone', $nitka_args['phone'] );
		update_user_meta( $nitka_id, 'billing_email', $nitka_args['email'] );
		$nitka_out = array( 'id' => $nitka_id );
		break;
	case 'deliver':
		$nitka_out = Nitka\WooCommerce\Queue\Queue::instance()->deliver( true );
		break;
	case 'secret':
		$nitka_out = array( 'secret' => Nitka\WooCommerce\Options::secret(), 'siteId' => Nitka\WooCommerce\Options::pairing()['site_id'] ?? null );
		break;
	case 'hpos':
		update_option( 'woocommerce_custom_orders_table_enabled', $nitka_args['on'] ? 'yes' : 'no' );
		$nitka_out = array( 'ok' => true );
		break;
	case 'plugin':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		if ( $nitka_args['active'] ) {
			activate_plugin( 'nitka/nitka.php' );
		} else {
			deactivate_plugins( 'nitka/nitka.php' );
		}
		$nitka_out = array( 'active' => is_plugin_active( 'nitka/nitka.php' ) );
		break;
	case 'create-product':
		$nitka_id = wp_insert_post( array( 'post_type' => 'product', 'post_status' => $nitka_args['status'] ?? 'publish', 'post_title' => $nitka_args['name'], 'post_content' => $nitka_args['description'] ?? '' ) );
		update_post_meta( $nitka_id, '_price', $nitka_args['price'] );
		update_post_meta( $nitka_id, '_sku', $nitka_args['sku'] ?? '' );
		foreach ( array( 'stockStatus' => '_stock_status', 'type' => '_stand_in_type', 'visibility' => '_stand_in_visibility' ) as $nitka_key => $nitka_meta ) {
			if ( isset( $nitka_args[ $nitka_key ] ) ) {
				update_post_meta( $nitka_id, $nitka_meta, $nitka_args[ $nitka_key ] );
			}
		}
		if ( isset( $nitka_args['stock'] ) ) {
			update_post_meta( $nitka_id, '_manage_stock', 'yes' );
			update_post_meta( $nitka_id, '_stock', (int) $nitka_args['stock'] );
		}
		$nitka_out = array( 'id' => $nitka_id );
		break;
	case 'order':
		$nitka_order = wc_get_order( $nitka_args['id'] );
		$nitka_out   = $nitka_order ? array(
			'id'            => $nitka_order->get_id(),
			'status'        => $nitka_order->get_status(),
			'total'         => $nitka_order->get_total(),
			'currency'      => $nitka_order->get_currency(),
			'customerId'    => $nitka_order->get_customer_id(),
			'createdVia'    => $nitka_order->get_created_via(),
			'billing'       => array( 'firstName' => $nitka_order->get_billing_first_name(), 'lastName' => $nitka_order->get_billing_last_name(), 'phone' => $nitka_order->get_billing_phone(), 'email' => $nitka_order->get_billing_email() ),
			'items'         => array_values( array_map( static fn( $i ) => array( 'productId' => $i->get_product_id(), 'name' => $i->get_name(), 'quantity' => $i->get_quantity(), 'total' => $i->get_total() ), $nitka_order->get_items() ) ),
			'shipping'      => array_values( array_map( static fn( $i ) => $i->get_data(), $nitka_order->get_items( 'shipping' ) ) ),
			'meta'          => array( 'key' => $nitka_order->get_meta( '_nitka_order_key' ), 'location' => $nitka_order->get_meta( '_nitka_pickup_location_id' ), 'channel' => $nitka_order->get_meta( '_nitka_channel' ) ),
			'notes'         => array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $nitka_order->get_id() ) ) ),
			'statusLabel'   => wc_get_order_statuses()[ 'wc-' . $nitka_order->get_status() ] ?? null,
		) : null;
		break;
	case 'orders-by-key':
		$nitka_out = wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'meta_query' => array( array( 'key' => '_nitka_order_key', 'value' => $nitka_args['key'] ) ) ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
		break;
	case 'delete-products':
		$nitka_out = array( 'deleted' => 0 );
		foreach ( get_posts( array( 'post_type' => 'product', 'post_status' => 'any', 'numberposts' => -1, 'fields' => 'ids' ) ) as $nitka_id ) {
			$nitka_out['deleted'] += wp_delete_post( $nitka_id, true ) ? 1 : 0;
		}
		break;
	case 'set-stock':
		update_post_meta( $nitka_args['id'], '_stock_status', $nitka_args['stockStatus'] );
		$nitka_out = array( 'ok' => true );
		break;
	case 'count-users':
		$nitka_out = array( 'users' => (int) count_users()['total_users'] );
		break;
	case 'order-email':
		ob_start();
		do_action( 'woocommerce_email_after_order_table', wc_get_order( $nitka_args['id'] ), ! empty( $nitka_args['admin'] ), ! empty( $nitka_args['plain'] ), null );
		$nitka_out = array( 'body' => ob_get_clean() );
		break;
	case 'my-orders-actions':
		$nitka_out = apply_filters( 'woocommerce_my_account_my_orders_actions', array( 'view' => array( 'url' => '#', 'name' => 'View' ) ), wc_get_order( $nitka_args['id'] ) );
		break;
	case 'carts':
		$nitka_out = $GLOBALS['wpdb']->get_results( "SELECT event_key AS `key`, status, next_attempt_at - UNIX_TIMESTAMP() AS dueIn, payload FROM " . Nitka\WooCommerce\Install\Schema::table() . " WHERE kind = 'cart' ORDER BY id", ARRAY_A ); // phpcs:ignore
		foreach ( $nitka_out as &$nitka_row ) {
			$nitka_row['dueIn']   = (int) $nitka_row['dueIn'];
			$nitka_row['payload'] = json_decode( $nitka_row['payload'], true );
		}
		break;
	case 'age-carts':
		$nitka_out = array( 'aged' => $GLOBALS['wpdb']->query( $GLOBALS['wpdb']->prepare( 'UPDATE ' . Nitka\WooCommerce\Install\Schema::table() . " SET next_attempt_at = next_attempt_at - %d WHERE kind = 'cart' AND status = 'pending'", (int) $nitka_args['seconds'] ) ) ); // phpcs:ignore
		break;
	default:
		fwrite( STDERR, "unknown command\n" );
		exit( 2 );
}
echo wp_json_encode( $nitka_out ) . "\n";
