<?php
/**
 * WC_DateTime: DateTime with WooCommerce's helpers.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_DateTime. */
class WC_DateTime extends DateTime {
	/** @return string ISO 8601 */
	public function __toString() {
		return $this->format( DATE_ATOM );
	}

	/** @return int UTC timestamp */
	public function getTimestamp(): int {
		return parent::getTimestamp();
	}

	/** @return string */
	public function date( $format ) {
		return gmdate( $format, $this->getTimestamp() );
	}
}
