<?php
/**
 * Order hooks → queued events: created, status changed, refunded. Keys are order id + what
 * happened + modification time, so a hook that fires twice queues once.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Events;

use Nitka\WooCommerce\Queue\Queue;

defined( 'ABSPATH' ) || exit;

/** Listens to WooCommerce's order hooks. */
final class OrderEvents {
	/** Hooks with WooCommerce's signatures. */
	public static function hook() {
		add_action( 'woocommerce_new_order', array( self::class, 'created' ), 20, 2 );
		add_action( 'woocommerce_order_status_changed', array( self::class, 'status_changed' ), 20, 4 );
		add_action( 'woocommerce_order_refunded', array( self::class, 'refunded' ), 20, 2 );
	}

	/**
	 * @param int            $order_id Order id.
	 * @param \WC_Order|null $order    Order (WooCommerce ≥ 5.0 passes it).
	 */
	public static function created( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( $order && 'shop_order' === $order->get_type() ) {
			self::queue( 'created', $order, array() );
		}
	}

	/**
	 * @param int       $order_id Order id.
	 * @param string    $from     Old status (no wc- prefix).
	 * @param string    $to       New status.
	 * @param \WC_Order $order    Order.
	 */
	public static function status_changed( $order_id, $from, $to, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		if ( $order ) {
			self::queue( 'status_changed', $order, array( 'previousStatus' => (string) $from ) );
		}
	}

	/**
	 * @param int $order_id  Order id.
	 * @param int $refund_id Refund id.
	 */
	public static function refunded( $order_id, $refund_id ) {
		$order  = wc_get_order( $order_id );
		$refund = wc_get_order( $refund_id );
		if ( $order && $refund ) {
			self::queue(
				'refunded',
				$order,
				array(
					'refund' => array(
						'id'     => (string) $refund->get_id(),
						'amount' => (string) $refund->get_amount(),
						'reason' => (string) $refund->get_reason(),
					),
				)
			);
		}
	}

	/**
	 * @param string    $trigger created, status_changed, refunded or backfill.
	 * @param \WC_Order $order   Order.
	 * @param array     $extra   Trigger details.
	 */
	public static function queue( $trigger, $order, array $extra ) {
		$snapshot = OrderSnapshot::of( $order );
		$detail   = 'refunded' === $trigger ? $extra['refund']['id'] : $snapshot['status'] . ':' . $snapshot['modifiedAt'];
		Queue::instance()->push( 'order', 'order:' . $snapshot['orderId'] . ':' . $trigger . ':' . $detail, array_merge( array( 'trigger' => $trigger, 'order' => $snapshot ), $extra ) );
	}
}
