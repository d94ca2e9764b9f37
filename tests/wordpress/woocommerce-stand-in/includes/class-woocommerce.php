<?php
/**
 * Bootstrap of the stand-in: post types, statuses, roles, and WooCommerce's load hooks in their order.
 *
 * @package Nitka\Tests
 */

defined( 'ABSPATH' ) || exit;

/** Stand-in for WooCommerce's main class. */
final class WooCommerce {
	/** @var string */
	public $version = '8.9.0';

	/** @var WC_Session_Handler|null */
	public $session = null;

	/** @var WC_Cart|null */
	public $cart = null;

	/** @var WooCommerce|null */
	private static $instance = null;

	/** @return WooCommerce */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
			add_action( 'init', array( self::$instance, 'init' ), 0 );
			// WooCommerce announces itself once all plugins are loaded.
			add_action( 'plugins_loaded', static function () {
				do_action( 'woocommerce_loaded' );
			}, -1 );
		}
		return self::$instance;
	}

	/** Fires before_woocommerce_init (where extensions declare feature compatibility), then registers types; shoppers get a session and a cart. */
	public function init() {
		do_action( 'before_woocommerce_init' );
		self::register_types();
		if ( $this->is_request( 'frontend' ) ) {
			$this->session = new WC_Session_Handler();
			$this->session->init();
			$this->cart = new WC_Cart();
			// WC_Cart_Session loads the cart on wp_loaded, before the form handlers (priority 20).
			add_action( 'wp_loaded', array( $this->cart, 'get_cart_from_session' ), 5 );
		}
		do_action( 'woocommerce_init' );
	}

	/** @param string $type admin, ajax, cron or frontend. @return bool */
	private function is_request( $type ) {
		$rest = false !== strpos( isset( $_SERVER['REQUEST_URI'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REQUEST_URI'] ) ) : '', rest_get_url_prefix() );
		switch ( $type ) {
			case 'frontend':
				return ( ! is_admin() || wp_doing_ajax() ) && ! wp_doing_cron() && ! $rest;
			default:
				return false;
		}
	}

	/** @return WC_Checkout */
	public function checkout() {
		return WC_Checkout::instance();
	}

	/** Order post types and the wc-* statuses, as WC_Post_Types registers them. */
	public static function register_types() {
		register_post_type(
			'shop_order',
			array(
				'label'           => 'Orders',
				'public'          => false,
				'show_ui'         => ! Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled(),
				'show_in_menu'    => 'woocommerce',
				'capability_type' => 'shop_order',
				'map_meta_cap'    => true,
				'supports'        => array( 'title', 'custom-fields' ),
			)
		);
		register_post_type( 'shop_order_refund', array( 'public' => false ) );
		register_post_type( 'product', array( 'label' => 'Products', 'public' => true ) );
		foreach ( wc_get_order_statuses() as $status => $label ) {
			register_post_status(
				$status,
				array(
					'label'                     => $label,
					'public'                    => false,
					'exclude_from_search'       => false,
					'show_in_admin_all_list'    => true,
					'show_in_admin_status_list' => true,
				)
			);
		}
	}

	/** Roles and capabilities WooCommerce installs (the subset the plugin checks). */
	public static function install() {
		add_role( 'customer', 'Customer', array( 'read' => true ) );
		add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'manage_woocommerce' => true, 'edit_shop_orders' => true, 'edit_others_shop_orders' => true, 'list_users' => true, 'edit_users' => true ) );
		$admin = get_role( 'administrator' );
		foreach ( array( 'manage_woocommerce', 'edit_shop_orders', 'edit_others_shop_orders', 'read_shop_order', 'edit_shop_order', 'publish_shop_orders', 'read_private_shop_orders', 'edit_private_shop_orders', 'edit_published_shop_orders', 'delete_shop_orders' ) as $cap ) {
			$admin->add_cap( $cap );
			if ( 'manage_woocommerce' !== $cap ) {
				get_role( 'shop_manager' )->add_cap( $cap );
			}
		}
		add_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
	}
}
