<?php
/**
 * The shop's catalog and chat orders for the connector (journey 1: a customer orders in the
 * messenger and picks the order up in store). Signed server-to-server routes, like the ping:
 *
 *     POST /nitka/v1/connector/products               { search?, page?, perPage?, ids? }
 *     POST /nitka/v1/connector/orders                 { idempotencyKey, customer, items, pickup, channel? }
 *     POST /nitka/v1/connector/orders/<id>/status     { status: ready | collected | cancelled, location? }
 *
 * Every route is POST so the whole request is signed (the signature covers the route and the
 * body, not a query string).
 *
 * @package Nitka\WooCommerce
 */

namespace Nitka\WooCommerce\Rest;

use Nitka\WooCommerce\Orders\ChatOrders;

defined( 'ABSPATH' ) || exit;

/** /nitka/v1/connector/products, /nitka/v1/connector/orders */
final class CatalogController {
	const MAX_PER_PAGE = 50;

	/** @param string $ns Namespace. */
	public static function register( $ns ) {
		$signed = array( ConnectorController::class, 'verify' );
		register_rest_route(
			$ns,
			'/connector/products',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'products' ),
				'permission_callback' => $signed,
				'args'                => array(
					'search'  => array( 'type' => 'string', 'maxLength' => 100 ),
					'page'    => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 1 ),
					'perPage' => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => self::MAX_PER_PAGE, 'default' => 10 ),
					'ids'     => array( 'type' => 'array', 'maxItems' => self::MAX_PER_PAGE, 'items' => array( 'type' => 'integer', 'minimum' => 1 ) ),
				),
			)
		);
		register_rest_route(
			$ns,
			'/connector/orders',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'create_order' ),
				'permission_callback' => $signed,
				'args'                => array(
					'idempotencyKey' => array( 'type' => 'string', 'required' => true, 'pattern' => '^[A-Za-z0-9_.:-]{8,120}$' ),
					'customer'       => array(
						'type'                 => 'object',
						'required'             => true,
						'additionalProperties' => false,
						'properties'           => array(
							'wcCustomerId' => array( 'type' => 'integer', 'minimum' => 1 ),
							'firstName'    => array( 'type' => 'string', 'maxLength' => 100 ),
							'lastName'     => array( 'type' => 'string', 'maxLength' => 100 ),
							'phone'        => array( 'type' => 'string', 'maxLength' => 40 ),
							'email'        => array( 'type' => 'string', 'maxLength' => 200 ),
						),
					),
					'items'          => array(
						'type'     => 'array',
						'required' => true,
						'minItems' => 1,
						'maxItems' => 50,
						'items'    => array(
							'type'                 => 'object',
							'additionalProperties' => false,
							'properties'           => array(
								'productId' => array( 'type' => 'integer', 'minimum' => 1, 'required' => true ),
								'quantity'  => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 999, 'required' => true ),
							),
						),
					),
					'pickup'         => array(
						'type'                 => 'object',
						'required'             => true,
						'additionalProperties' => false,
						'properties'           => array(
							'locationId' => array( 'type' => 'string', 'required' => true, 'minLength' => 1, 'maxLength' => 64 ),
							'name'       => array( 'type' => 'string', 'required' => true, 'minLength' => 1, 'maxLength' => 200 ),
							'address'    => array( 'type' => 'string', 'maxLength' => 500 ),
						),
					),
					'channel'        => array( 'type' => 'string', 'enum' => array( 'telegram', 'vk', 'max' ) ),
					'customerNote'   => array( 'type' => 'string', 'maxLength' => 1000 ),
				),
			)
		);
		register_rest_route(
			$ns,
			'/connector/orders/(?P<id>\d+)/status',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'update_status' ),
				'permission_callback' => $signed,
				'args'                => array(
					'id'       => array( 'type' => 'integer', 'minimum' => 1 ),
					'status'   => array( 'type' => 'string', 'required' => true, 'enum' => array( 'ready', 'collected', 'cancelled' ) ),
					'location' => array( 'type' => 'string', 'maxLength' => 200 ),
				),
			)
		);
	}

	/**
	 * Published, purchasable, in-stock simple products (what a chat can sell without choosing
	 * options), by title; a search matches titles, descriptions and SKUs as the shop's own search.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return array
	 */
	public static function products( $request ) {
		$per_page = (int) $request['perPage'];
		$page     = (int) $request['page'];
		$args     = array(
			'status'       => 'publish',
			'type'         => array( 'simple' ),
			'stock_status' => 'instock',
			'orderby'      => 'title',
			'order'        => 'ASC',
			'limit'        => $per_page,
			'page'         => $page,
			'paginate'     => true,
		);
		$ids = is_array( $request['ids'] ) ? array_map( 'absint', $request['ids'] ) : array();
		if ( $ids ) {
			$args['include'] = $ids;
			$args['limit']   = count( $ids );
			$args['page']    = 1;
		}
		$search             = trim( (string) $request['search'] );
		$args['visibility'] = '' === $search ? 'catalog' : 'search';
		if ( '' !== $search ) {
			$args['s'] = $search;
		}
		$found    = wc_get_products( $args );
		$products = array();
		foreach ( $found->products as $product ) {
			if ( $product->is_purchasable() && $product->is_in_stock() ) {
				$products[] = self::product( $product );
			}
		}
		return array(
			'products'   => $products,
			'page'       => $ids ? 1 : $page,
			'perPage'    => $ids ? count( $ids ) : $per_page,
			'total'      => (int) $found->total,
			'totalPages' => (int) $found->max_num_pages,
			'currency'   => get_woocommerce_currency(),
		);
	}

	/**
	 * A product as the chat shows it.
	 *
	 * @param \WC_Product $product Product.
	 * @return array
	 */
	public static function product( $product ) {
		$image = $product->get_image_id() ? wp_get_attachment_image_url( $product->get_image_id(), 'woocommerce_thumbnail' ) : false;
		$stock = $product->managing_stock() ? $product->get_stock_quantity() : null;
		return array(
			'id'            => (int) $product->get_id(),
			'name'          => wp_strip_all_tags( $product->get_name() ),
			'sku'           => (string) $product->get_sku(),
			'price'         => wc_format_decimal( wc_get_price_to_display( $product ), wc_get_price_decimals() ),
			'currency'      => get_woocommerce_currency(),
			'permalink'     => (string) $product->get_permalink(),
			'imageUrl'      => $image ? (string) $image : null,
			'stockQuantity' => null === $stock ? null : (int) $stock,
		);
	}

	/**
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function create_order( $request ) {
		$result = ChatOrders::create(
			array(
				'key'           => (string) $request['idempotencyKey'],
				'customer'      => (array) $request['customer'],
				'items'         => (array) $request['items'],
				'pickup'        => (array) $request['pickup'],
				'channel'       => $request['channel'] ? (string) $request['channel'] : '',
				'customer_note' => (string) $request['customerNote'],
			)
		);
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return new \WP_REST_Response( $result, $result['duplicate'] ? 200 : 201 );
	}

	/**
	 * @param \WP_REST_Request $request Request.
	 * @return array|\WP_Error
	 */
	public static function update_status( $request ) {
		return ChatOrders::move( (int) $request['id'], (string) $request['status'], (string) $request['location'] );
	}
}
