import express from 'express';
import { z } from 'zod';
import { AuthenticationError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { WebhookTarget } from '../../core/ports/channel.ts';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import { loadConnectionForWebhook } from '../../core/tenants/connections.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

// Short rather than evicted on disconnect: the status changes in core/conversations, possibly in
// another server process sharing the database, which no in-process hook would reach.
const CACHE_MS = 2_000;

/**
 * The webhook intake of every channel: authenticate, store the raw payload durably (deduplicated
 * by its source key), answer. Parsing into events happens after the answer, in the inbox worker,
 * so a platform with a short timeout never waits on identity resolution.
 */
export function webhookRoutes(ctx: AppContext) {
	// Connections change rarely and webhooks arrive often: keep opened targets for a moment.
	const cache = new Map<string, { target: WebhookTarget & { channel: string }; until: number }>();
	async function target(connectionId: string): Promise<WebhookTarget & { channel: string }> {
		const hit = cache.get(connectionId);
		if (hit && hit.until > ctx.clock.now()) return hit.target;
		const loaded = await loadConnectionForWebhook(ctx.db, ctx.box, connectionId);
		const value = {
			connectionId,
			tenantId: loaded.connection.tenantId,
			webhookSecret: loaded.webhookSecret,
			settings: loaded.settings,
			channel: loaded.connection.channel,
		};
		cache.set(connectionId, { target: value, until: ctx.clock.now() + CACHE_MS });
		return value;
	}

	return [
		defineRoute({
			method: 'post',
			path: '/hooks/:channel/:connectionId',
			summary: 'Webhook intake for a connected channel (Telegram, VK, MAX, marketplaces)',
			tags: ['webhooks'],
			auth: 'webhook',
			params: z.object({
				channel: z.string().regex(/^[a-z-]{2,30}$/),
				connectionId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a connection id'),
			}),
			body: z.string().min(2, 'empty body'),
			bodyContentType: 'application/json',
			responses: {
				200: {
					description: 'stored (or a redelivery of a stored payload)',
					schema: z.object({ ok: z.literal(true) }),
				},
				401: { description: 'the secret or signature is missing or wrong' },
				404: { description: 'no such connection, or it is not active' },
			},
			before: [express.text({ type: () => true, limit: ctx.bodyLimit })],
			handler: async ({ params, body, req, res }) => {
				const adapter = ctx.adapters[params.channel];
				if (!adapter) throw new NotFoundError(`channel ${params.channel}`);
				const hook = await target(params.connectionId).catch((error: unknown) => {
					if (error instanceof NotFoundError) throw new NotFoundError(`connection ${params.connectionId}`);
					throw error;
				});
				if (hook.channel !== params.channel) throw new NotFoundError(`connection ${params.connectionId}`);
				let json: unknown;
				try {
					json = JSON.parse(body);
				} catch {
					throw new ValidationError('webhook body is not valid JSON', [
						{ path: 'body', message: 'not JSON' },
					]);
				}
				if (!adapter.intake.verify({ headers: req.headers, rawBody: body, body: json }, hook)) {
					// Logged without the payload: it may carry personal data and it is not trusted.
					ctx.logger.warn(
						{ channel: params.channel, connection: params.connectionId, ip: req.ip },
						'webhook with a wrong or missing secret',
					);
					throw new AuthenticationError('webhook secret missing or wrong');
				}
				const handshake = adapter.intake.handshake?.(json, hook);
				if (handshake) {
					res.status(200).type(handshake.contentType).send(handshake.body);
					return;
				}
				let sourceKey: string;
				try {
					sourceKey = adapter.intake.sourceKey(json, hook);
				} catch (error) {
					if (error instanceof UnparseablePayloadError)
						throw new ValidationError(error.message, [{ path: 'body', message: error.message }]);
					throw error;
				}
				const outcome = await ctx.inbox.accept({
					tenantId: hook.tenantId,
					connectionId: hook.connectionId,
					source: params.channel,
					sourceKey,
					payload: body,
				});
				ctx.metrics[outcome === 'accepted' ? 'inboxAccepted' : 'inboxDuplicates'].inc({
					source: params.channel,
				});
				const ack = adapter.intake.acknowledge;
				if (ack) res.status(200).type(ack.contentType).send(ack.body);
				else res.status(200).json({ ok: true });
			},
		}),
	];
}
