<?php
/**
 * WC_Session_Handler: the shopper's session. As in WooCommerce, a guest gets a generated customer
 * id in the wp_woocommerce_session_<COOKIEHASH> cookie (customer_id||expiration||expiring||hash) and
 * a signed-in shopper uses their user id; data is saved at shutdown only when the session has a
 * cookie or a user. The stand-in keeps session rows in options instead of the woocommerce_sessions table.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WC_Session_Handler. */
class WC_Session_Handler {
	/** @var string */
	protected $_customer_id = ''; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/** @var array */
	protected $_data = array(); // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/** @var bool */
	protected $_dirty = false; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/** @var bool */
	protected $_has_cookie = false; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/** @var string */
	protected $_cookie; // phpcs:ignore PSR2.Classes.PropertyDeclaration.Underscore

	/** Reads the cookie (or the user) and the stored data; saves at shutdown. */
	public function init() {
		$this->_cookie = 'wp_woocommerce_session_' . COOKIEHASH;
		$cookie        = isset( $_COOKIE[ $this->_cookie ] ) ? explode( '||', sanitize_text_field( wp_unslash( $_COOKIE[ $this->_cookie ] ) ) ) : array();
		if ( is_user_logged_in() ) {
			$this->_customer_id = (string) get_current_user_id();
		} elseif ( 4 === count( $cookie ) && hash_equals( $this->cookie_hash( $cookie[0], $cookie[1] ), $cookie[3] ) ) {
			$this->_customer_id = $cookie[0];
			$this->_has_cookie  = true;
		} else {
			$this->_customer_id = $this->generate_customer_id();
		}
		$stored      = get_option( '_wc_session_' . $this->_customer_id );
		$this->_data = is_array( $stored ) ? $stored : array();
		add_action( 'shutdown', array( $this, 'save_data' ), 20 );
		add_filter( 'nonce_user_logged_out', array( $this, 'maybe_update_nonce_user_logged_out' ), 10, 2 );
	}

	/** @return string A guest id, as WooCommerce makes them. */
	public function generate_customer_id() {
		return 't_' . strtolower( wp_generate_password( 30, false ) );
	}

	/** @return string */
	public function get_customer_id() {
		return $this->_customer_id;
	}

	/** @return bool */
	public function has_session() {
		return $this->_has_cookie || is_user_logged_in();
	}

	/** @param bool $set Whether to set the cookie. */
	public function set_customer_session_cookie( $set ) {
		if ( $set && ! is_user_logged_in() ) {
			$expiration = time() + 2 * DAY_IN_SECONDS;
			$value      = $this->_customer_id . '||' . $expiration . '||' . ( $expiration - HOUR_IN_SECONDS ) . '||' . $this->cookie_hash( $this->_customer_id, $expiration );
			if ( ! headers_sent() ) {
				setcookie( $this->_cookie, $value, $expiration, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, is_ssl(), true );
			}
			$_COOKIE[ $this->_cookie ] = $value;
			$this->_has_cookie         = true;
		}
	}

	/** @param string $key Key. @param mixed $default Default. @return mixed */
	public function get( $key, $default = null ) {
		$key = sanitize_key( $key );
		return isset( $this->_data[ $key ] ) ? maybe_unserialize( $this->_data[ $key ] ) : $default;
	}

	/** @param string $key Key. @param mixed $value Value. */
	public function set( $key, $value ) {
		if ( $value !== $this->get( $key ) ) {
			$this->_data[ sanitize_key( $key ) ] = maybe_serialize( $value );
			$this->_dirty                        = true;
		}
	}

	/** Persists changed data of a session that has a cookie or a user. */
	public function save_data() {
		if ( $this->_dirty && $this->has_session() ) {
			update_option( '_wc_session_' . $this->_customer_id, $this->_data, false );
			$this->_dirty = false;
		}
	}

	/** Guests with a session get nonces of their own, as in WooCommerce. @param int $uid User id. @param string $action Action. */
	public function maybe_update_nonce_user_logged_out( $uid, $action ) {
		return $this->has_session() && 0 === strpos( $this->_customer_id, 't_' ) ? $this->_customer_id : $uid;
	}

	/** @return string */
	private function cookie_hash( $customer_id, $expiration ) {
		return hash_hmac( 'md5', $customer_id . '|' . $expiration, wp_hash( $customer_id . $expiration ) );
	}
}
