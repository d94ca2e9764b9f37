import { z } from 'zod';
import type { OutboxHandler } from '../../core/ports/outbound.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';
import type { WooCommerceSiteDirectory } from '../../core/ports/woocommerce-sites.ts';
import { signedHeaders } from './signature.ts';

export const PING_JOB_KIND = 'woocommerce.ping';

const PingPayloadSchema = z.object({ siteId: z.string().min(1).max(40) });

/**
 * Connector → plugin: a signed ping to the site's callback URL right after pairing. It proves the
 * claimed site really runs the paired plugin (the pairing request alone proves only the code).
 */
export function createPingHandler(
	sites: WooCommerceSiteDirectory,
	now: () => number,
	fetchImpl: typeof fetch = fetch,
): OutboxHandler<z.infer<typeof PingPayloadSchema>> {
	return {
		parse: (payload) => PingPayloadSchema.parse(payload),
		limits: (payload) => [{ key: `woocommerce:site:${payload.siteId}`, capacity: 2, perSecond: 1 }],
		async deliver(payload) {
			const site = await sites.bySiteId(payload.siteId);
			if (!site?.callbackUrl) throw new PermanentDeliveryError('site unpaired or without a callback URL');
			const url = new URL(`${site.callbackUrl.replace(/\/+$/, '')}/ping`);
			const body = '{}';
			// WordPress signs and verifies the REST route, not the URL path (pretty permalinks or not).
			const route = url.searchParams.get('rest_route') ?? url.pathname.replace(/^.*\/wp-json/, '');
			let response: Response;
			try {
				response = await fetchImpl(url, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						...signedHeaders(site.siteId, site.secret, { method: 'POST', path: route, body }, now()),
					},
					body,
					redirect: 'manual',
					signal: AbortSignal.timeout(10_000),
				});
			} catch (error) {
				throw new TransientDeliveryError('the shop did not answer the ping', undefined, { cause: error });
			}
			if (response.status >= 500 || response.status === 429) {
				throw new TransientDeliveryError(`the shop answered ${response.status}`);
			}
			if (!response.ok) throw new PermanentDeliveryError(`the shop refused the ping (${response.status})`);
			await sites.markVerified(site.siteId, now());
		},
	};
}
