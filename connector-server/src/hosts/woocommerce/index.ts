/** The WooCommerce host: what the composition root and the routes use. */

export {
	createWooCommerceCatalog,
	type WooChatOrder,
	type WooChatOrderInput,
	type WooCommerceCatalog,
	type WooPickupMove,
	type WooProduct,
	type WooProductPage,
	type WooProductQuery,
} from './catalog.ts';
export { createWooCommerceHostCatalog, type WooHostCatalogDeps } from './host-catalog.ts';
export { cartBatch, orderBatch, parseShopEvent, WOOCOMMERCE_SOURCE } from './parser.ts';
export {
	CartSnapshotSchema,
	type OrderSnapshot,
	OrderSnapshotSchema,
	ShopEventBatchSchema,
	ShopEventPayloadSchema,
} from './payloads.ts';
export { createPickupHandler, mapPickupEvents, PICKUP_JOB_KIND } from './pickup-sync.ts';
export { HostOrderStateError, ProductUnavailableError, SiteUnavailableError } from './plugin-api.ts';
export { signatureHeaders, verify as verifySignature } from './signature.ts';
export { createPingHandler, PING_JOB_KIND } from './site-client.ts';
