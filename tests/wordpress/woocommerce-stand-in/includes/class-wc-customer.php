<?php
/**
 * WC_Customer: a shop customer (a WordPress user and their billing meta).
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Customer (reading only). */
class WC_Customer {
	/** @var int */
	private $id = 0;

	/**
	 * @param int $data Customer (user) id.
	 * @throws Exception When there is no such user, as WooCommerce's data store does.
	 */
	public function __construct( $data = 0 ) {
		$id = absint( $data );
		if ( $id && ! get_userdata( $id ) ) {
			throw new Exception( 'Invalid customer.' );
		}
		$this->id = $id;
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string */
	public function get_email() {
		$user = $this->id ? get_userdata( $this->id ) : false;
		return $user ? (string) $user->user_email : '';
	}

	/** @return string */
	public function get_first_name() {
		return $this->meta( 'first_name' );
	}

	/** @return string */
	public function get_last_name() {
		return $this->meta( 'last_name' );
	}

	/** @return string */
	public function get_billing_first_name() {
		return $this->meta( 'billing_first_name' );
	}

	/** @return string */
	public function get_billing_last_name() {
		return $this->meta( 'billing_last_name' );
	}

	/** @return string */
	public function get_billing_phone() {
		return $this->meta( 'billing_phone' );
	}

	/** @return string */
	public function get_billing_email() {
		return $this->meta( 'billing_email' );
	}

	/** @param string $key User meta key. @return string */
	private function meta( $key ) {
		return $this->id ? (string) get_user_meta( $this->id, $key, true ) : '';
	}
}
