<?php
/**
 * Journey 3 on WooCommerce: a customer's return, as the shop sees it on the order. The connector
 * tells the order each step of the return — asked for in the chat (with the customer's reason),
 * approved (the customer got a return QR) or rejected, received at the counter — as a private order note, and
 * the received goods turn the order "Refunded". Each step of a return is applied once (order meta),
 * so a retried call changes nothing.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Orders;

defined( 'ABSPATH' ) || exit;

/** Order notes and status for a return. */
final class Returns {
	const META = '_nitka_returns';

	/**
	 * Applies one step of a return to an order.
	 *
	 * @param int    $order_id  WooCommerce order id.
	 * @param string $return_id Nitka's return id.
	 * @param string $number    The return's number (R-…).
	 * @param string $step      requested | approved | rejected | received.
	 * @param string $reason    The customer's words (requested).
	 * @param string $location  Where it was received (received).
	 * @return array|\WP_Error
	 */
	public static function apply( $order_id, $return_id, $number, $step, $reason, $location ) {
		$order = wc_get_order( $order_id );
		if ( ! $order || 'shop_order' !== $order->get_type() ) {
			return new \WP_Error( 'nitka_no_order', 'no order with this id', array( 'status' => 404 ) );
		}
		$done = $order->get_meta( self::META );
		$done = is_array( $done ) ? $done : array();
		$key  = $return_id . ':' . $step;
		if ( in_array( $key, $done, true ) ) {
			return self::answer( $order, false );
		}
		// The customer's text is kept as plain text: no markup reaches the order screen.
		$reason = trim( sanitize_textarea_field( wp_strip_all_tags( $reason ) ) );
		$where  = '' !== $location ? sanitize_text_field( $location ) : __( 'the store', 'nitka' );
		switch ( $step ) {
			case 'requested':
				/* translators: 1: return number, 2: the customer's reason */
				$note = sprintf( __( 'Return %1$s requested by the customer in the chat. Reason: %2$s', 'nitka' ), $number, '' !== $reason ? $reason : '—' );
				break;
			case 'rejected':
				/* translators: %s: return number */
				$note = sprintf( __( 'Return %s rejected: the customer was told in the chat.', 'nitka' ), $number );
				break;
			case 'approved':
				/* translators: %s: return number */
				$note = sprintf( __( 'Return %s approved: the customer got a return QR code for the store.', 'nitka' ), $number );
				break;
			default:
				/* translators: 1: return number, 2: store name */
				$note = sprintf( __( 'Return %1$s received at %2$s (confirmed at the counter).', 'nitka' ), $number, $where );
		}
		$done[] = $key;
		$order->update_meta_data( self::META, $done );
		if ( 'received' === $step && 'refunded' !== $order->get_status() ) {
			$order->save();
			$order->update_status( 'refunded', $note );
		} else {
			$order->add_order_note( $note );
			$order->save();
		}
		return self::answer( wc_get_order( $order->get_id() ), true );
	}

	/** @return array */
	private static function answer( $order, $changed ) {
		return array(
			'orderId' => (string) $order->get_id(),
			'status'  => (string) $order->get_status(),
			'changed' => (bool) $changed,
		);
	}
}
