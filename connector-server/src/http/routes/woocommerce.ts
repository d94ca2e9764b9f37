import {
	CustomerSchema,
	IdSchema,
	QuarantineSummarySchema,
	ReplyRequestSchema,
	ReplyResultSchema,
	safeError,
	TimelineQuerySchema,
} from '@nitka/shared';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { cardForHostCustomer } from '../../core/card/host-card.ts';
import { toIso } from '../../core/clock.ts';
import { conversationOfCustomer } from '../../core/conversations/conversation-repository.ts';
import { getCustomerView, searchCustomers } from '../../core/customers/customer-view.ts';
import {
	AuthenticationError,
	ForbiddenError,
	NotFoundError,
	UnavailableError,
	ValidationError,
} from '../../core/errors.ts';
import { readTimeline } from '../../core/events/event-store.ts';
import { listQuarantine, requeueQuarantined } from '../../core/inbox/quarantine.ts';
import { ingestBatch } from '../../core/ingest/ingest.ts';
import { deepLinksFor } from '../../core/links/deep-links.ts';
import { issueLinkToken } from '../../core/links/link-tokens.ts';
import type { WooCommerceSite } from '../../core/ports/woocommerce-sites.ts';
import { authorizeTenant } from '../../core/tenants/api-keys.ts';
import { listConnections } from '../../core/tenants/connections.ts';
import {
	OrderSnapshotSchema,
	orderBatch,
	ShopEventBatchSchema,
	ShopEventPayloadSchema,
	signatureHeaders,
	verifySignature,
	WOOCOMMERCE_SOURCE,
} from '../../hosts/woocommerce/index.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { createWooCommerceSites } from './woocommerce-sites.ts';

/** Signed requests carry JSON under their own media type, so the API's JSON parser leaves the raw bytes to us. */
export const SIGNED_MEDIA_TYPE = 'application/vnd.nitka.signed+json';

const PairBody = z
	.object({
		code: z.string().min(8).max(40),
		siteUrl: z.url().max(500),
		siteName: z.string().trim().min(1).max(200),
		pluginVersion: z.string().max(40).optional(),
		callbackUrl: z.url().max(500).optional(),
	})
	// The connector calls the callback URL: it must be the paired site itself, never another host
	// (a pairing code must not turn the connector into a proxy to internal addresses).
	.refine((body) => !body.callbackUrl || new URL(body.callbackUrl).origin === new URL(body.siteUrl).origin, {
		message: 'callbackUrl must be on the same origin as siteUrl',
		path: ['callbackUrl'],
	});
const PairResult = z.object({
	tenantId: IdSchema,
	tenantName: z.string(),
	siteId: IdSchema,
	secret: z.string(),
});
const CodeResult = z.object({ code: z.string(), expiresAt: z.string() });
const TimelineLookup = TimelineQuerySchema.extend({
	orderId: z
		.string()
		.regex(/^\d{1,20}$/)
		.optional(),
	wcCustomer: z
		.string()
		.regex(/^\d{1,20}$/)
		.optional(),
	email: z.string().min(3).max(254).optional(),
	phone: z.string().min(3).max(64).optional(),
});
const isLoopback = (address: string | undefined) =>
	!!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

/**
 * The WooCommerce host's API: pairing (API key or, on an embedded loopback connector, no key),
 * then everything the plugin calls, signed with the shared secret (see hosts/woocommerce/signature.ts).
 */
export function woocommerceRoutes(ctx: AppContext) {
	const sites = createWooCommerceSites(ctx.db, ctx.box);
	const cache = new Map<string, { site: WooCommerceSite | null; until: number }>();
	const siteOf = (res: express.Response) => res.locals.wooSite as WooCommerceSite;

	/** The site that signed this request (signature, replay window and nonce checked), or why not. */
	async function signer(
		req: express.Request,
		body: string,
	): Promise<{ site: WooCommerceSite } | { site: null; reason: string }> {
		const header = (name: string) => {
			const value = req.headers[name];
			return typeof value === 'string' ? value : '';
		};
		const siteId = header(signatureHeaders.site);
		const now = ctx.clock.now();
		let hit = cache.get(siteId);
		if (!hit || hit.until < now) {
			hit = {
				site: /^[0-9A-HJKMNP-TV-Z]{26}$/.test(siteId) ? await sites.bySiteId(siteId) : null,
				until: now + 10_000,
			};
			cache.set(siteId, hit);
		}
		if (!hit.site) return { site: null, reason: 'unknown site' };
		const verdict = verifySignature(
			hit.site.secret,
			{
				method: req.method,
				path: req.originalUrl,
				timestamp: header(signatureHeaders.timestamp),
				nonce: header(signatureHeaders.nonce),
				body,
			},
			header(signatureHeaders.signature),
			now,
		);
		if (!verdict.ok) return { site: null, reason: verdict.reason };
		if (!(await sites.rememberNonce(hit.site.siteId, header(signatureHeaders.nonce), now))) {
			return { site: null, reason: 'replayed nonce' };
		}
		return { site: hit.site };
	}
	const parseSignedBody = (body: string): unknown => {
		try {
			return body ? (JSON.parse(body) as unknown) : {};
		} catch {
			throw new ValidationError('body is not JSON', [{ path: 'body', message: 'not JSON' }]);
		}
	};

	const signed: RequestHandler[] = [
		express.text({ type: SIGNED_MEDIA_TYPE, limit: ctx.bodyLimit }),
		async (req, res, next) => {
			try {
				const body = typeof req.body === 'string' ? req.body : '';
				const proof = await signer(req, body);
				if (!proof.site) {
					// The reason is logged, never the signature or the body.
					ctx.logger.warn(
						{ site: req.headers[signatureHeaders.site], reason: proof.reason },
						'rejected WooCommerce request',
					);
					throw new AuthenticationError('missing, wrong or replayed signature');
				}
				res.locals.wooSite = proof.site;
				req.body = parseSignedBody(body);
				next();
			} catch (error) {
				next(error);
			}
		},
	];

	/**
	 * Pairing may come signed by the site's current pairing: that proves the request comes from the
	 * paired shop, which a re-pairing with a code not issued for the tenant needs. Unsigned (a first
	 * pairing) or unproven requests go on without a proven site.
	 */
	const optionallySigned: RequestHandler[] = [
		express.text({ type: SIGNED_MEDIA_TYPE, limit: ctx.bodyLimit }),
		async (req, res, next) => {
			try {
				if (typeof req.body !== 'string') return next();
				const body = req.body;
				const proof = await signer(req, body);
				if (proof.site) res.locals.wooSite = proof.site;
				else ctx.logger.info({ reason: proof.reason }, 'pairing request without a valid site signature');
				req.body = parseSignedBody(body);
				next();
			} catch (error) {
				next(error);
			}
		},
	];

	return [
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/pairing-codes',
			summary:
				'Issues a one-time code (15 minutes) that pairs a WooCommerce shop with a tenant or the agency',
			tags: ['woocommerce'],
			auth: 'apiKey',
			role: 'admin',
			body: z.object({ tenantId: IdSchema.optional() }),
			responses: { 201: { description: 'the code', schema: CodeResult } },
			handler: async ({ body, principal }) => {
				if (!principal) throw new AuthenticationError();
				const tenantId = body.tenantId ?? ('tenantId' in principal ? principal.tenantId : undefined);
				if (tenantId) await authorizeTenant(ctx.db, principal, tenantId);
				const scope = tenantId
					? { tenantId }
					: { agencyId: principal.kind === 'agency' ? principal.agencyId : '' };
				const issued = await sites.issueCode(scope, ctx.clock.now());
				return { code: issued.code, expiresAt: toIso(issued.expiresAt) };
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/local-pairing-codes',
			summary:
				'Demo flow: a code without an API key, only from this machine to an embedded (no PUBLIC_URL) connector',
			tags: ['woocommerce'],
			auth: 'none',
			responses: { 201: { description: 'the code', schema: CodeResult }, 403: { description: 'not local' } },
			handler: async ({ req }) => {
				if (ctx.publicUrl || !isLoopback(req.socket.remoteAddress) || req.headers['x-forwarded-for']) {
					throw new ForbiddenError('codes without an API key are only for a connector on the same machine');
				}
				const issued = await sites.issueCode({}, ctx.clock.now());
				return { code: issued.code, expiresAt: toIso(issued.expiresAt) };
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/pair',
			summary: "Trades a pairing code for the shop's site id and shared secret (shown once)",
			tags: ['woocommerce'],
			auth: 'none',
			body: PairBody,
			before: optionallySigned,
			responses: {
				201: { description: 'paired', schema: PairResult },
				401: { description: 'unknown, used or expired code' },
				409: {
					description:
						'the site belongs to a tenant this code was not issued for, and the request is not signed by its paired plugin',
				},
			},
			handler: async ({ body, res }) => {
				const paired = await sites.redeem(
					{
						...body,
						siteUrl: body.siteUrl.replace(/\/+$/, ''),
						provenTenantId: (res.locals.wooSite as WooCommerceSite | undefined)?.tenantId,
					},
					ctx.clock.now(),
				);
				// A re-pairing replaced the tenant's site: its old secret must stop signing at once.
				cache.clear();
				return paired;
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/events',
			summary: "Shop events from the plugin's queue (signed); stored in the inbox, idempotent per event key",
			tags: ['woocommerce'],
			auth: 'webhook',
			bodyContentType: SIGNED_MEDIA_TYPE,
			body: ShopEventBatchSchema,
			before: signed,
			responses: {
				200: {
					description: 'a verdict per event',
					schema: z.object({
						results: z.array(
							z.object({
								key: z.string(),
								outcome: z.enum(['accepted', 'duplicate', 'rejected']),
								error: z.string().optional(),
							}),
						),
					}),
				},
			},
			handler: async ({ body, res }) => {
				const site = siteOf(res);
				const results = await Promise.all(
					body.events.map(async (event) => {
						const payload = { kind: event.kind, ...event.payload };
						// Parse now only to refuse junk early; the inbox worker parses again, as for every source.
						const check = ShopEventPayloadSchema.safeParse(payload);
						if (!check.success) {
							return {
								key: event.key,
								outcome: 'rejected' as const,
								error: check.error.issues[0]?.message ?? 'invalid',
							};
						}
						const outcome = await ctx.inbox.accept({
							tenantId: site.tenantId,
							connectionId: null,
							source: WOOCOMMERCE_SOURCE,
							sourceKey: `woocommerce:${event.key}`,
							payload: JSON.stringify(payload),
						});
						ctx.metrics[outcome === 'accepted' ? 'inboxAccepted' : 'inboxDuplicates'].inc({
							source: WOOCOMMERCE_SOURCE,
						});
						return { key: event.key, outcome };
					}),
				);
				await sites.touch(site.siteId, ctx.clock.now());
				return { results };
			},
		}),
		defineRoute({
			method: 'get',
			path: '/api/v1/woocommerce/timeline',
			summary:
				'The timeline of the customer behind an order or a user (by WooCommerce id, email or phone), signed',
			tags: ['woocommerce'],
			auth: 'webhook',
			query: TimelineLookup,
			before: signed,
			responses: {
				200: {
					description: 'the customer (or null), one timeline page and the chats a reply can go to',
					schema: z.object({
						customer: CustomerSchema.nullable(),
						timeline: z.object({ items: z.array(z.unknown()), next: z.string().nullable() }).nullable(),
						conversation: z
							.object({
								lastChannel: z.string().nullable(),
								chats: z.array(z.object({ channel: z.string(), reachable: z.boolean() })),
							})
							.nullable(),
					}),
				},
			},
			handler: async ({ query, res }) => {
				const { tenantId } = siteOf(res);
				const lookups = [
					query.wcCustomer ? { type: 'woocommerce_customer' as const, value: query.wcCustomer } : null,
					query.email ? { type: 'email' as const, value: query.email } : null,
					query.phone ? { type: 'phone' as const, value: query.phone } : null,
				];
				let customer = null;
				// An order's screen shows the order's own customer: a guest's typed email or phone may be
				// someone else's (docs/identity.md, "Claims").
				if (query.orderId) {
					const created = await ctx.db
						.selectFrom('events')
						.select('customer_id')
						.where('tenant_id', '=', tenantId)
						.where('source_key', '=', `woocommerce:order:${query.orderId}:created`)
						.executeTakeFirst();
					if (created) customer = await getCustomerView(ctx.db, tenantId, created.customer_id);
				}
				for (const lookup of customer ? [] : lookups) {
					if (!lookup) continue;
					customer = (await searchCustomers(ctx.db, tenantId, lookup).catch(() => []))[0] ?? null;
					if (customer) break;
				}
				if (!customer) return { customer: null, timeline: null, conversation: null };
				const timeline = await readTimeline(ctx.db, tenantId, customer.id, query);
				const conversation = await conversationOfCustomer(ctx.db, tenantId, customer.id).catch(
					(error: unknown) => {
						if (error instanceof NotFoundError) return null;
						throw error;
					},
				);
				return {
					customer,
					timeline,
					conversation: conversation
						? {
								lastChannel: conversation.lastChannel,
								chats: conversation.chats.map((chat) => ({
									channel: chat.channel,
									reachable: chat.reachable,
								})),
							}
						: null,
				};
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/customers/:customerId/replies',
			summary: "A shop employee's reply from wp-admin, sent where the customer last wrote from (signed)",
			tags: ['woocommerce'],
			auth: 'webhook',
			params: z.object({ customerId: IdSchema }),
			body: ReplyRequestSchema,
			before: signed,
			responses: { 202: { description: 'queued', schema: ReplyResultSchema } },
			handler: async ({ params, body, res }) => {
				if (!ctx.channels) throw new NotFoundError('messaging channels');
				return await ctx.channels.reply(siteOf(res).tenantId, params.customerId, {
					...body,
					origin: 'woocommerce',
				});
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/card',
			summary:
				'The loyalty card of a shop customer for My Account: card page and QR image links, loyalty number (signed)',
			tags: ['woocommerce'],
			auth: 'webhook',
			body: z.object({ wcCustomerId: z.string().regex(/^[1-9]\d{0,19}$/) }),
			before: signed,
			responses: {
				200: {
					description: 'the card (the customer is created when Nitka does not know them yet)',
					schema: z.object({
						customerId: IdSchema,
						cardUrl: z.string(),
						qrUrl: z.string(),
						loyaltyNumber: z.string(),
						expiresAt: z.string(),
					}),
				},
				503: { description: 'the server has no card runtime' },
			},
			handler: async ({ body, res }) => {
				const baseUrl = ctx.card?.baseUrl();
				if (!ctx.card || !baseUrl) throw new UnavailableError('the customer card is not available', 60);
				const card = await cardForHostCustomer(
					ctx.db,
					{ accessKey: ctx.card.accessKey, baseUrl },
					{
						tenantId: siteOf(res).tenantId,
						identifier: { type: 'woocommerce_customer', value: body.wcCustomerId },
						source: WOOCOMMERCE_SOURCE,
					},
					ctx.clock.now(),
				);
				return { ...card, expiresAt: toIso(card.expiresAt) };
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/links',
			summary:
				'A single-use deep-link token bound to an order (the order snapshot is ingested first), signed',
			tags: ['woocommerce'],
			auth: 'webhook',
			body: z.object({
				order: OrderSnapshotSchema,
				ttlSeconds: z.number().int().min(60).max(604_800).default(86_400),
			}),
			before: signed,
			responses: {
				201: {
					description: 'the token and links per connected messenger',
					schema: z.object({
						token: z.string(),
						expiresAt: z.string(),
						links: z.array(z.object({ channel: z.string(), connectionId: z.string(), url: z.string() })),
					}),
				},
			},
			handler: async ({ body, res }) => {
				const { tenantId } = siteOf(res);
				const at = ctx.clock.now();
				// The thank-you page may render before the queued order event arrives: ingest it here (same keys, so idempotent).
				// The token is bound to the order's own customer: for a guest that is never a customer its
				// typed email or phone merely pointed at (docs/identity.md, "Claims").
				const { holderId } = await ctx.db
					.transaction()
					.execute(
						async (tx) =>
							await ingestBatch(tx, tenantId, orderBatch({ trigger: 'created', order: body.order }), at),
					);
				const issued = await issueLinkToken(
					ctx.db,
					{
						tenantId,
						customerId: holderId,
						exact: true,
						orderId: body.order.orderId,
						ttlSeconds: body.ttlSeconds,
					},
					at,
				);
				const links = await deepLinksFor(ctx.db, ctx.channels?.clients, tenantId, issued.token);
				return { token: issued.token, expiresAt: toIso(issued.expiresAt), links };
			},
		}),
		// The quarantine for the plugin's settings screen: no payload, errors redacted (the shop owner
		// sees what was wrong, not the buyer's data), each with its connection's name.
		defineRoute({
			method: 'get',
			path: '/api/v1/woocommerce/quarantine',
			summary:
				'Payloads the workers could not read (webhooks, marketplace pages), newest first, without payloads, signed',
			tags: ['woocommerce'],
			auth: 'webhook',
			query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) }),
			before: signed,
			responses: {
				200: {
					description: 'quarantined items (redacted) and whether older ones remain',
					schema: z.object({ items: z.array(QuarantineSummarySchema), more: z.boolean() }),
				},
			},
			handler: async ({ query, res }) => {
				const { tenantId } = siteOf(res);
				const [page, connections] = await Promise.all([
					listQuarantine(ctx.db, tenantId, { limit: query.limit }),
					listConnections(ctx.db, tenantId),
				]);
				const names = new Map(connections.map((c) => [c.id, c.name]));
				return {
					items: page.items.map(({ payload: _payload, sourceKey: _key, ...item }) => ({
						...item,
						error: item.error === null ? null : safeError(item.error),
						connectionName: item.connectionId ? (names.get(item.connectionId) ?? null) : null,
					})),
					more: page.next !== null,
				};
			},
		}),
		defineRoute({
			method: 'post',
			path: '/api/v1/woocommerce/quarantine/:itemId/requeue',
			summary: 'Sends a quarantined payload through its worker again, signed',
			tags: ['woocommerce'],
			auth: 'webhook',
			params: z.object({ itemId: IdSchema }),
			before: signed,
			responses: { 204: { description: 'requeued' } },
			handler: async ({ params, res }) => {
				await requeueQuarantined(ctx.db, siteOf(res).tenantId, params.itemId);
			},
		}),
	];
}
