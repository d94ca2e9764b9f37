import {
	ConnectMarketplaceRequestSchema,
	IdSchema,
	MarketplaceConnectionSchema,
	MarketplaceSchema,
	OrderSchema,
	OrderSourceSchema,
	type ParcelInsert,
	ParcelInsertRequestSchema,
	ParcelInsertSchema,
} from '@nitka/shared';
import express, { type Response } from 'express';
import { z } from 'zod';
import { toIso } from '../../core/clock.ts';
import { NitkaError, NotFoundError } from '../../core/errors.ts';
import { rootOf } from '../../core/identity/identity-graph.ts';
import { deepLinksFor } from '../../core/links/deep-links.ts';
import { issueLinkToken } from '../../core/links/link-tokens.ts';
import type { MarketplaceRuntime } from '../../core/orders/marketplace-runtime.ts';
import { getOrder, listOrders, type OrderRow, toOrder } from '../../core/orders/order-repository.ts';
import {
	chooseLink,
	type InsertPage,
	renderInsertsPdf,
	renderQrPng,
} from '../../marketplaces/insert/index.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TenantParams = z.object({ tenantId: IdSchema });
const CAPTION = 'Track this order in Telegram / VK';

function marketplacesOf(ctx: AppContext): MarketplaceRuntime {
	if (!ctx.marketplaces)
		throw new NitkaError('marketplaces_unavailable', 503, 'marketplaces are not configured');
	return ctx.marketplaces;
}

/** Marketplace connections, their sync progress, orders, parcel inserts and push intakes. */
export function marketplaceRoutes(ctx: AppContext) {
	const base = '/api/v1/tenants/:tenantId';
	const pushParams = z.object({
		marketplace: MarketplaceSchema,
		connectionId: IdSchema,
		secret: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
	});
	const push = (suffix: string) =>
		defineRoute({
			method: 'post',
			path: `/hooks/marketplaces/:marketplace/:connectionId/:secret${suffix}`,
			summary: `Push intake for Ozon notifications and Yandex Market API notifications${suffix ? ` (${suffix})` : ''}`,
			tags: ['webhooks'],
			auth: 'webhook',
			params: pushParams,
			body: z.string(),
			bodyContentType: 'application/json',
			responses: {
				200: { description: "stored (or nothing to store); the platform's documented answer" },
				400: { description: "a notification the platform's format does not allow, in its error envelope" },
				401: { description: 'unknown push URL' },
			},
			before: [express.text({ type: () => true, limit: ctx.bodyLimit })],
			handler: async ({ params, body, res }) => {
				let json: unknown;
				try {
					json = JSON.parse(body);
				} catch {
					json = undefined;
				}
				const receipt = await marketplacesOf(ctx).receivePush(
					params.marketplace,
					params.connectionId,
					params.secret,
					json ?? {},
				);
				res.status(receipt.status).json(receipt.body);
			},
		});

	return [
		defineRoute({
			method: 'post',
			path: `${base}/marketplaces`,
			summary:
				'Connects Ozon, Wildberries or Yandex Market with seller keys (checked with the platform, stored sealed); starts the backfill',
			tags: ['marketplaces'],
			auth: 'apiKey',
			role: 'admin',
			params: TenantParams,
			body: ConnectMarketplaceRequestSchema,
			responses: {
				201: {
					description: 'connected; the backfill runs in the background',
					schema: MarketplaceConnectionSchema,
				},
				400: { description: 'invalid input, or the marketplace rejected the keys' },
				502: { description: 'the marketplace could not be reached' },
			},
			handler: async ({ params, body }) => await marketplacesOf(ctx).connect(params.tenantId, body),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/marketplaces`,
			summary: 'Marketplace connections with their sync and backfill progress',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams,
			responses: {
				200: {
					description: 'connections',
					schema: z.object({ items: z.array(MarketplaceConnectionSchema) }),
				},
			},
			handler: async ({ params }) => ({ items: await marketplacesOf(ctx).list(params.tenantId) }),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/marketplaces/:connectionId`,
			summary: 'One marketplace connection: backfill progress, last poll, last error, push URL',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams.extend({ connectionId: IdSchema }),
			responses: {
				200: { description: 'the connection', schema: MarketplaceConnectionSchema },
				404: { description: 'no such marketplace connection' },
			},
			handler: async ({ params }) => await marketplacesOf(ctx).view(params.tenantId, params.connectionId),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/orders`,
			summary: 'Marketplace orders, newest first, with status in the shared lifecycle and the raw one',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams,
			query: z.object({
				source: OrderSourceSchema.optional(),
				number: z.string().min(1).max(200).optional(),
				connectionId: IdSchema.optional(),
				limit: z.coerce.number().int().min(1).max(500).default(100),
				before: IdSchema.optional(),
			}),
			responses: {
				200: {
					description: 'a page of orders',
					schema: z.object({ items: z.array(OrderSchema), next: IdSchema.nullable() }),
				},
			},
			handler: async ({ params, query }) => await listOrders(ctx.db, params.tenantId, query),
		}),
		defineRoute({
			method: 'get',
			path: `${base}/orders/:orderId`,
			summary: 'One order',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams.extend({ orderId: IdSchema }),
			responses: {
				200: { description: 'the order', schema: OrderSchema },
				404: { description: 'no such order' },
			},
			handler: async ({ params }) =>
				await toOrder(ctx.db, await getOrder(ctx.db, params.tenantId, params.orderId)),
		}),
		defineRoute({
			method: 'post',
			path: `${base}/orders/:orderId/insert`,
			summary:
				'A parcel insert for an order: a single-use deep-link token bound to the order and a link per connected messenger',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams.extend({ orderId: IdSchema }),
			body: ParcelInsertRequestSchema,
			responses: {
				201: { description: 'the insert', schema: ParcelInsertSchema },
				404: { description: 'no such order' },
			},
			handler: async ({ params, body }) =>
				await issueInsert(ctx, await loadOrder(ctx, params.tenantId, params.orderId), body.ttlSeconds),
		}),
		...printableInsertRoutes(ctx, base),
		push(''),
		push('/notification'),
	];
}

async function loadOrder(ctx: AppContext, tenantId: string, orderId: string): Promise<OrderRow> {
	return await getOrder(ctx.db, tenantId, orderId).catch(() => {
		throw new NotFoundError(`order ${orderId}`);
	});
}

/**
 * Issues a fresh single-use token bound to the order's customer and a link per connected messenger.
 * A re-print issues another token and leaves earlier ones valid until used or expired: an insert
 * printed first may already be inside a parcel on its way, and core/links has no revocation.
 */
async function issueInsert(ctx: AppContext, order: OrderRow, ttlSeconds: number): Promise<ParcelInsert> {
	const issued = await issueLinkToken(
		ctx.db,
		{
			tenantId: order.tenant_id,
			customerId: await rootOf(ctx.db, order.tenant_id, order.customer_id),
			orderId: order.external_id,
			ttlSeconds,
		},
		ctx.clock.now(),
	);
	const links = await deepLinksFor(ctx.db, ctx.channels?.clients, order.tenant_id, issued.token);
	return {
		orderId: order.id,
		number: order.number,
		caption: CAPTION,
		token: issued.token,
		expiresAt: toIso(issued.expiresAt),
		links,
	};
}

/** What the printed insert shows: the shop, the order and the one link its QR carries. */
async function insertPage(ctx: AppContext, order: OrderRow, ttlSeconds: number): Promise<InsertPage> {
	const insert = await issueInsert(ctx, order, ttlSeconds);
	const link = chooseLink(insert.links);
	if (!link)
		throw new NitkaError('no_messenger', 409, 'connect Telegram, VK or MAX before printing parcel inserts');
	const tenant = await ctx.db
		.selectFrom('tenants')
		.select('name')
		.where('id', '=', order.tenant_id)
		.executeTakeFirstOrThrow();
	return {
		shopName: tenant.name,
		orderNumber: order.number,
		source: order.source,
		url: link.url,
		channel: link.channel,
		expiresAt: Date.parse(insert.expiresAt),
	};
}

function sendFile(res: Response, type: string, name: string, body: Buffer): void {
	res.status(200);
	res.setHeader('Content-Type', type);
	res.setHeader('Content-Disposition', `inline; filename="${name.replace(/[^\w.-]+/g, '_')}"`);
	// Each answer carries a live single-use token: nothing may cache it.
	res.setHeader('Cache-Control', 'no-store');
	res.end(body);
}

const PdfInsertRequestSchema = ParcelInsertRequestSchema.extend({
	/** Test-only: uncompressed streams let a test read the page text. */
	compress: z.boolean().default(true),
});

/**
 * Printable inserts. POST, not GET: every print mints a token, and a prefetching proxy or a
 * browser retry must not do that behind the shop's back.
 */
function printableInsertRoutes(ctx: AppContext, base: string) {
	const pdfResponses = {
		200: { description: 'A6 PDF, one insert per page', contentType: 'application/pdf' },
		404: { description: 'no such order' },
		409: { description: 'no messenger with deep links is connected' },
	};
	return [
		defineRoute({
			method: 'post',
			path: `${base}/orders/:orderId/insert.pdf`,
			summary:
				'A printable A6 parcel insert: shop, order number, a QR with a fresh deep link, caption and link',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams.extend({ orderId: IdSchema }),
			body: PdfInsertRequestSchema,
			responses: pdfResponses,
			handler: async ({ params, body, res }) => {
				const order = await loadOrder(ctx, params.tenantId, params.orderId);
				const page = await insertPage(ctx, order, body.ttlSeconds);
				const pdf = await renderInsertsPdf([page], { compress: body.compress });
				sendFile(res, 'application/pdf', `insert-${order.number}.pdf`, pdf);
			},
		}),
		defineRoute({
			method: 'post',
			path: `${base}/orders/inserts.pdf`,
			summary: 'Up to 100 parcel inserts in one PDF, one A6 page per order in the order given',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams,
			body: PdfInsertRequestSchema.extend({ orderIds: z.array(IdSchema).min(1).max(100) }),
			responses: pdfResponses,
			handler: async ({ params, body, res }) => {
				// Every order must exist before any token is issued: a typo fails the batch cleanly.
				const orders = await Promise.all(body.orderIds.map((id) => loadOrder(ctx, params.tenantId, id)));
				const pages: InsertPage[] = [];
				for (const order of orders) pages.push(await insertPage(ctx, order, body.ttlSeconds));
				const pdf = await renderInsertsPdf(pages, { compress: body.compress });
				sendFile(res, 'application/pdf', `inserts-${pages.length}.pdf`, pdf);
			},
		}),
		defineRoute({
			method: 'post',
			path: `${base}/orders/:orderId/insert.png`,
			summary:
				'The QR code alone as a PNG for label printers; the deep link it carries is in the Nitka-Insert-Link header',
			tags: ['marketplaces'],
			auth: 'apiKey',
			params: TenantParams.extend({ orderId: IdSchema }),
			body: ParcelInsertRequestSchema.extend({
				/** Pixels per module: 8 is 1 mm modules at 203 dpi. */
				scale: z.number().int().min(1).max(40).default(8),
			}),
			responses: {
				200: { description: 'PNG of the QR with its quiet zone', contentType: 'image/png' },
				404: { description: 'no such order' },
				409: { description: 'no messenger with deep links is connected' },
			},
			handler: async ({ params, body, res }) => {
				const order = await loadOrder(ctx, params.tenantId, params.orderId);
				const page = await insertPage(ctx, order, body.ttlSeconds);
				// Label software prints the link beside the QR for people who cannot scan.
				res.setHeader('Nitka-Insert-Link', page.url);
				res.setHeader('Nitka-Insert-Expires', new Date(page.expiresAt).toISOString());
				sendFile(res, 'image/png', `insert-${order.number}.png`, await renderQrPng(page.url, body.scale));
			},
		}),
	];
}
