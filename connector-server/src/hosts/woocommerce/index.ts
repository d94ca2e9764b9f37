/** The WooCommerce host: what the composition root and the routes use. */

export { cartBatch, orderBatch, parseShopEvent, WOOCOMMERCE_SOURCE } from './parser.ts';
export {
	CartSnapshotSchema,
	type OrderSnapshot,
	OrderSnapshotSchema,
	ShopEventBatchSchema,
	ShopEventPayloadSchema,
} from './payloads.ts';
export { signatureHeaders, verify as verifySignature } from './signature.ts';
export { createPingHandler, PING_JOB_KIND } from './site-client.ts';
