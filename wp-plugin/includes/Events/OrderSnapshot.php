<?php
/**
 * What the connector learns about an order: a snapshot read through WC_Order only, so it is the
 * same with custom order tables (HPOS) and with posts.
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Events;

defined( 'ABSPATH' ) || exit;

/** Builds order payloads. */
final class OrderSnapshot {
	/**
	 * @param \WC_Order $order Order.
	 * @return array
	 */
	public static function of( $order ) {
		$items = array();
		foreach ( $order->get_items() as $item ) {
			$product = is_callable( array( $item, 'get_product' ) ) ? $item->get_product() : null;
			$items[] = array(
				'name'     => (string) $item->get_name(),
				'quantity' => (float) $item->get_quantity(),
				'total'    => (string) $item->get_total(),
				'sku'      => $product ? (string) $product->get_sku() : '',
			);
		}
		$created  = $order->get_date_created();
		$modified = $order->get_date_modified();
		$consent  = (int) $order->get_meta( '_nitka_marketing_consent' );
		$snapshot = array(
			'orderId'       => (string) $order->get_id(),
			'number'        => (string) $order->get_order_number(),
			'status'        => (string) $order->get_status(),
			'total'         => (string) $order->get_total(),
			'currency'      => (string) $order->get_currency(),
			'totalRefunded' => (string) $order->get_total_refunded(),
			'customerId'    => (int) $order->get_customer_id(),
			'billing'       => array(
				'firstName' => (string) $order->get_billing_first_name(),
				'lastName'  => (string) $order->get_billing_last_name(),
				'email'     => (string) $order->get_billing_email(),
				'phone'     => (string) $order->get_billing_phone(),
			),
			'items'         => $items,
			'createdAt'     => $created ? $created->getTimestamp() : time(),
			'modifiedAt'    => $modified ? $modified->getTimestamp() : time(),
		);
		if ( $consent > 0 ) {
			$snapshot['marketingConsentAt'] = $consent;
		}
		return $snapshot;
	}
}
