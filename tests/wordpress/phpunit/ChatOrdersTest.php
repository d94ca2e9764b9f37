<?php
/**
 * Journey 1 inside WordPress: the signed catalog and chat-order routes, the "Ready for pickup"
 * status, orders created once per key, no WordPress user ever created, pickup moves.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\Signer;
use Nitka\WooCommerce\Options;
use Nitka\WooCommerce\Orders\ChatOrders;
use Nitka\WooCommerce\Orders\PickupStatus;
use PHPUnit\Framework\TestCase;

final class ChatOrdersTest extends TestCase {
	const SITE   = '01JCHATORDERSTESTSITE00000';
	const SECRET = 'chat-orders-test-secret';

	/** @var array|false */
	private $pairing;
	/** @var int[] */
	private $posts = array();

	protected function setUp(): void {
		$this->pairing = get_option( Options::PAIRING );
		Options::save_pairing( array( 'url' => 'http://127.0.0.1:9', 'site_id' => self::SITE, 'tenant_id' => 't' ), self::SECRET );
	}

	protected function tearDown(): void {
		foreach ( $this->posts as $id ) {
			wp_delete_post( $id, true );
		}
		if ( false === $this->pairing ) {
			delete_option( Options::PAIRING );
		} else {
			update_option( Options::PAIRING, $this->pairing, false );
		}
	}

	private function product( $name, $price, array $meta = array(), $status = 'publish' ) {
		$id = wp_insert_post( array( 'post_type' => 'product', 'post_status' => $status, 'post_title' => $name ) );
		update_post_meta( $id, '_price', $price );
		foreach ( $meta as $key => $value ) {
			update_post_meta( $id, $key, $value );
		}
		$this->posts[] = $id;
		return $id;
	}

	/** A request signed as the connector signs it (the REST route, the raw body). */
	private function signed( $route, array $body, $secret = self::SECRET ) {
		$raw     = wp_json_encode( $body );
		$request = new WP_REST_Request( 'POST', $route );
		$request->set_header( 'content-type', 'application/json' );
		$request->set_body( $raw );
		foreach ( Signer::headers( self::SITE, $secret, 'POST', $route, $raw ) as $name => $value ) {
			$request->set_header( $name, $value );
		}
		$response = rest_do_request( $request );
		return array( $response->get_status(), $response->get_data() );
	}

	private function order_input( $key, array $items, array $customer = array( 'firstName' => 'Ольга', 'phone' => '+7 (912) 555-01-02' ) ) {
		return array(
			'idempotencyKey' => $key,
			'customer'       => $customer,
			'items'          => $items,
			'pickup'         => array( 'locationId' => 'loc-1', 'name' => 'Магазин на Ленина', 'address' => 'ул. Ленина, 1' ),
			'channel'        => 'telegram',
		);
	}

	public function test_registers_the_ready_for_pickup_status_after_processing() {
		$statuses = wc_get_order_statuses();
		$keys     = array_keys( $statuses );
		$this->assertSame( 'Ready for pickup', $statuses['wc-nitka-ready'] );
		$this->assertSame( array_search( 'wc-processing', $keys, true ) + 1, array_search( 'wc-nitka-ready', $keys, true ) );
		$this->assertNotNull( get_post_status_object( 'wc-nitka-ready' ) );
		$this->assertSame( 'nitka-ready', PickupStatus::ready_status() );
		$russian = static fn() => 'ru_RU';
		add_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
		load_plugin_textdomain( 'nitka', false, 'nitka/languages' );
		$this->assertSame( 'Готов к выдаче', PickupStatus::label() );
		remove_filter( 'plugin_locale', $russian );
		unload_textdomain( 'nitka' );
	}

	public function test_lists_only_purchasable_products_in_stock_with_search_and_paging() {
		$tag  = 'Чайник' . wp_generate_password( 6, false );
		$a    = $this->product( $tag . ' А', '1990.00' );
		$b    = $this->product( $tag . ' Б', '2490.50' );
		$this->product( $tag . ' нет в наличии', '100', array( '_stock_status' => 'outofstock' ) );
		$this->product( $tag . ' черновик', '100', array(), 'draft' );
		$this->product( $tag . ' без цены', '' );
		$this->product( $tag . ' вариативный', '100', array( '_stand_in_type' => 'variable' ) );
		list( $status, $page ) = $this->signed( '/nitka/v1/connector/products', array( 'search' => $tag, 'perPage' => 1 ) );
		$this->assertSame( 200, $status );
		$this->assertSame( 1, count( $page['products'] ) );
		$this->assertSame( $a, $page['products'][0]['id'] );
		$this->assertSame( '1990.00', $page['products'][0]['price'] );
		$this->assertSame( 'RUB', $page['products'][0]['currency'] );
		$this->assertSame( get_permalink( $a ), $page['products'][0]['permalink'] );
		list( , $next ) = $this->signed( '/nitka/v1/connector/products', array( 'search' => $tag, 'perPage' => 1, 'page' => 2 ) );
		$this->assertSame( $b, $next['products'][0]['id'] );
		list( , $by_id ) = $this->signed( '/nitka/v1/connector/products', array( 'ids' => array( $b ) ) );
		$this->assertSame( array( $b ), array_column( $by_id['products'], 'id' ) );
	}

	public function test_refuses_unsigned_forged_and_replayed_calls() {
		$request = new WP_REST_Request( 'POST', '/nitka/v1/connector/products' );
		$this->assertSame( 401, rest_do_request( $request )->get_status() );
		list( $status ) = $this->signed( '/nitka/v1/connector/products', array(), 'wrong-secret' );
		$this->assertSame( 401, $status );
		$raw     = '{}';
		$headers = Signer::headers( self::SITE, self::SECRET, 'POST', '/nitka/v1/connector/products', $raw );
		$statuses = array();
		for ( $i = 0; $i < 2; $i++ ) {
			$replay = new WP_REST_Request( 'POST', '/nitka/v1/connector/products' );
			$replay->set_header( 'content-type', 'application/json' );
			$replay->set_body( $raw );
			foreach ( $headers as $name => $value ) {
				$replay->set_header( $name, $value );
			}
			$statuses[] = rest_do_request( $replay )->get_status();
		}
		$this->assertSame( array( 200, 401 ), $statuses, 'the same nonce twice' );
	}

	public function test_creates_a_guest_pickup_order_once_per_key_without_a_user() {
		$kettle = $this->product( 'Чайник', '1990.00' );
		$cup    = $this->product( 'Кружка', '350' );
		$users  = count_users()['total_users'];
		$key    = 'chat-' . wp_generate_password( 10, false );
		list( $status, $order ) = $this->signed( '/nitka/v1/connector/orders', $this->order_input( $key, array( array( 'productId' => $kettle, 'quantity' => 1 ), array( 'productId' => $cup, 'quantity' => 2 ) ) ) );
		$this->assertSame( 201, $status, wp_json_encode( $order ) );
		$this->posts[] = (int) $order['orderId'];
		$this->assertFalse( $order['duplicate'] );
		$this->assertSame( 'processing', $order['status'] );
		$this->assertSame( '2690.00', $order['total'] );
		$this->assertSame( array( 'name' => 'Магазин на Ленина', 'address' => 'ул. Ленина, 1' ), $order['pickup'] );
		$wc = wc_get_order( (int) $order['orderId'] );
		$this->assertSame( 0, $wc->get_customer_id() );
		$this->assertSame( '+79125550102', $wc->get_billing_phone() );
		$this->assertSame( 'Ольга', $wc->get_billing_first_name() );
		$this->assertSame( 'nitka', $wc->get_created_via() );
		$this->assertSame( 'loc-1', $wc->get_meta( ChatOrders::LOCATION_META ) );
		$shipping = array_values( $wc->get_items( 'shipping' ) );
		$this->assertSame( 'pickup_location', $shipping[0]->get_method_id() );
		$notes = array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $wc->get_id() ) ) );
		$this->assertContains( 'Created from a Telegram chat by Nitka; to be picked up at Магазин на Ленина.', $notes );
		$this->assertSame( $users, count_users()['total_users'] );

		// A retried job: the same order, nothing new.
		list( $again_status, $again ) = $this->signed( '/nitka/v1/connector/orders', $this->order_input( $key, array( array( 'productId' => $kettle, 'quantity' => 1 ) ) ) );
		$this->assertSame( 200, $again_status );
		$this->assertTrue( $again['duplicate'] );
		$this->assertSame( $order['orderId'], $again['orderId'] );
		$this->assertCount( 1, wc_get_orders( array( 'limit' => -1, 'return' => 'ids', 'meta_query' => array( array( 'key' => ChatOrders::KEY_META, 'value' => $key ) ) ) ) ); // phpcs:ignore
	}

	public function test_links_a_known_customer_and_takes_their_billing_details() {
		$user = wp_insert_user( array( 'user_login' => 'chat_' . wp_generate_password( 6, false ), 'user_pass' => 'x-pass-123', 'user_email' => 'chat' . wp_rand() . '@example.com', 'first_name' => 'Анна', 'role' => 'customer' ) );
		update_user_meta( $user, 'billing_phone', '+79120000077' );
		$kettle = $this->product( 'Чайник', '1990.00' );
		list( $status, $order ) = $this->signed( '/nitka/v1/connector/orders', $this->order_input( 'chat-' . wp_generate_password( 10, false ), array( array( 'productId' => $kettle, 'quantity' => 1 ) ), array( 'wcCustomerId' => $user ) ) );
		$this->posts[] = (int) $order['orderId'];
		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $user );
		$this->assertSame( 201, $status );
		$this->assertSame( $user, $order['customerId'] );
		$wc = wc_get_order( (int) $order['orderId'] );
		$this->assertSame( 'Анна', $wc->get_billing_first_name() );
		$this->assertSame( '+79120000077', $wc->get_billing_phone() );
	}

	public function test_refuses_products_that_cannot_be_sold_naming_them() {
		$gone  = $this->product( 'Нет', '10', array( '_stock_status' => 'outofstock' ) );
		$few   = $this->product( 'Мало', '10', array( '_manage_stock' => 'yes', '_stock' => 1 ) );
		$fine  = $this->product( 'Есть', '10' );
		list( $status, $error ) = $this->signed( '/nitka/v1/connector/orders', $this->order_input( 'chat-' . wp_generate_password( 10, false ), array( array( 'productId' => $gone, 'quantity' => 1 ), array( 'productId' => $few, 'quantity' => 2 ), array( 'productId' => $fine, 'quantity' => 1 ) ) ) );
		$this->assertSame( 409, $status );
		$this->assertSame( 'nitka_product_unavailable', $error['code'] );
		$this->assertSame( array( $gone, $few ), $error['data']['productIds'] );
	}

	public function test_moves_the_order_ready_then_collected_and_repeats_change_nothing() {
		$kettle = $this->product( 'Чайник', '1990.00' );
		$made   = ChatOrders::create( array( 'key' => 'chat-' . wp_generate_password( 10, false ), 'customer' => array( 'phone' => '+79125550103' ), 'items' => array( array( 'productId' => $kettle, 'quantity' => 1 ) ), 'pickup' => array( 'locationId' => 'l', 'name' => 'Склад' ), 'channel' => 'vk', 'customer_note' => '' ) );
		$id     = (int) $made['orderId'];
		$this->posts[] = $id;
		$route = '/nitka/v1/connector/orders/' . $id . '/status';
		list( $status, $ready ) = $this->signed( $route, array( 'status' => 'ready' ) );
		$this->assertSame( 200, $status );
		$this->assertSame( array( 'orderId' => (string) $id, 'status' => 'nitka-ready', 'changed' => true ), $ready );
		list( , $again ) = $this->signed( $route, array( 'status' => 'ready' ) );
		$this->assertFalse( $again['changed'] );
		list( , $done ) = $this->signed( $route, array( 'status' => 'collected', 'location' => 'Склад' ) );
		$this->assertSame( 'completed', $done['status'] );
		list( , $late ) = $this->signed( $route, array( 'status' => 'ready' ) );
		$this->assertSame( array( 'completed', false ), array( $late['status'], $late['changed'] ) );
		list( $cancel_status ) = $this->signed( $route, array( 'status' => 'cancelled' ) );
		$this->assertSame( 409, $cancel_status );
		$notes = implode( "\n", array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $id ) ) ) );
		$this->assertStringContainsString( 'Ready for pickup at Склад', $notes );
		$this->assertStringContainsString( 'Collected by the customer at Склад', $notes );
		// Only the connector's own orders move.
		$other = wc_create_order( array( 'status' => 'processing' ) );
		$this->posts[] = $other->get_id();
		list( $foreign ) = $this->signed( '/nitka/v1/connector/orders/' . $other->get_id() . '/status', array( 'status' => 'collected' ) );
		$this->assertSame( 404, $foreign );
	}

	public function test_deactivation_puts_ready_orders_back_in_processing() {
		$kettle = $this->product( 'Чайник', '1990.00' );
		$made   = ChatOrders::create( array( 'key' => 'chat-' . wp_generate_password( 10, false ), 'customer' => array( 'phone' => '+79125550104' ), 'items' => array( array( 'productId' => $kettle, 'quantity' => 1 ) ), 'pickup' => array( 'locationId' => 'l', 'name' => 'Склад' ), 'channel' => 'telegram', 'customer_note' => '' ) );
		$id     = (int) $made['orderId'];
		$this->posts[] = $id;
		ChatOrders::move( $id, 'ready', '' );
		$this->assertSame( 'nitka-ready', wc_get_order( $id )->get_status() );
		PickupStatus::release();
		$this->assertSame( 'processing', wc_get_order( $id )->get_status() );
		$notes = implode( "\n", array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $id ) ) ) );
		$this->assertStringContainsString( 'Nitka was deactivated', $notes );
	}
}
