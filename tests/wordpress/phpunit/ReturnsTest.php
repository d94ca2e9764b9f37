<?php
/**
 * Journey 3 inside WordPress: each step of a return as a private order note (the customer's reason
 * as plain text), applied once; the received goods turn the order "Refunded"; only signed calls.
 *
 * @package Nitka\Tests
 */

use Nitka\WooCommerce\Connector\Signer;
use Nitka\WooCommerce\Options;
use PHPUnit\Framework\TestCase;

final class ReturnsTest extends TestCase {
	const SITE      = '01JRETURNSTESTSITE00000000';
	const SECRET    = 'returns-test-secret';
	const RETURN_ID = '01JRETURNID000000000000000';

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

	private function notes( $order_id ) {
		return array_map( static fn( $n ) => $n->content, wc_get_order_notes( array( 'order_id' => $order_id ) ) );
	}

	public function test_each_step_is_a_note_once_and_the_received_goods_refund_the_order() {
		$order = wc_create_order( array( 'status' => 'completed' ) );
		$id    = $order->get_id();
		$this->posts[] = $id;
		$route = "/nitka/v1/connector/orders/{$id}/return";
		$body  = array( 'returnId' => self::RETURN_ID, 'number' => 'R-00000000', 'step' => 'requested', 'reason' => 'Порвались <b>через неделю</b>' );

		list( $status, $answer ) = $this->signed( $route, $body );
		$this->assertSame( 200, $status );
		$this->assertSame( array( 'orderId' => (string) $id, 'status' => 'completed', 'changed' => true ), $answer );
		list( , $again ) = $this->signed( $route, $body );
		$this->assertFalse( $again['changed'] );
		$notes = $this->notes( $id );
		$this->assertCount( 1, $notes );
		$this->assertStringContainsString( 'R-00000000', $notes[0] );
		$this->assertStringContainsString( 'Порвались через неделю', $notes[0] );
		$this->assertStringNotContainsString( '<b>', $notes[0] );

		$this->signed( $route, array_merge( $body, array( 'step' => 'approved' ) ) );
		list( , $received ) = $this->signed( $route, array( 'returnId' => self::RETURN_ID, 'number' => 'R-00000000', 'step' => 'received', 'location' => 'Магазин на Тверской' ) );
		$this->assertSame( 'refunded', $received['status'] );
		$this->assertTrue( $received['changed'] );
		$notes = $this->notes( $id );
		$this->assertCount( 3, $notes );
		$this->assertStringContainsString( 'Магазин на Тверской', $notes[0] );
		list( , $repeat ) = $this->signed( $route, array( 'returnId' => self::RETURN_ID, 'number' => 'R-00000000', 'step' => 'received' ) );
		$this->assertFalse( $repeat['changed'] );
		$this->assertCount( 3, $this->notes( $id ) );
	}

	public function test_refuses_unsigned_calls_unknown_orders_and_bad_steps() {
		$order = wc_create_order( array( 'status' => 'completed' ) );
		$id    = $order->get_id();
		$this->posts[] = $id;
		$route = "/nitka/v1/connector/orders/{$id}/return";
		$body  = array( 'returnId' => self::RETURN_ID, 'number' => 'R-00000000', 'step' => 'requested' );
		list( $forged ) = $this->signed( $route, $body, 'wrong-secret' );
		$this->assertSame( 401, $forged );
		list( $missing ) = $this->signed( '/nitka/v1/connector/orders/999999/return', $body );
		$this->assertSame( 404, $missing );
		list( $bad ) = $this->signed( $route, array_merge( $body, array( 'step' => 'refund-everything' ) ) );
		$this->assertSame( 400, $bad );
		$this->assertCount( 0, $this->notes( $id ) );
	}
	public function test_a_rejected_return_is_a_note_and_leaves_the_status() {
		$order = wc_create_order( array( 'status' => 'completed' ) );
		$id    = $order->get_id();
		$this->posts[] = $id;
		list( $status, $answer ) = $this->signed( "/nitka/v1/connector/orders/{$id}/return", array( 'returnId' => self::RETURN_ID, 'number' => 'R-00000001', 'step' => 'rejected' ) );
		$this->assertSame( 200, $status );
		$this->assertSame( 'completed', $answer['status'] );
		$this->assertStringContainsString( 'R-00000001 rejected', $this->notes( $id )[0] );
	}
}
