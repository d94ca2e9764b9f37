import { z } from 'zod';
import { PermanentDeliveryError, TransientDeliveryError } from '../../core/ports/outbound.ts';
import type { WooCommerceSite } from '../../core/ports/woocommerce-sites.ts';
import { signedHeaders } from './signature.ts';

/**
 * Connector → plugin calls (wp-plugin/includes/Rest/CatalogController.php): signed POSTs to the
 * site's callback URL (`…/wp-json/nitka/v1/connector`), every answer parsed with zod.
 *
 * Failures are the outbox's two kinds, so a job retries only what a retry can fix: the shop
 * unreachable, a 5xx or 429 (and a non-JSON page, e.g. a maintenance screen) is a
 * `TransientDeliveryError`; a refusal (401/403: unpaired or a wrong secret, 400, 404, 409) is a
 * `PermanentDeliveryError`, with subclasses for what a conversation tells the customer about.
 */

/** Some products cannot be ordered now (unpublished, out of stock, not enough of them). */
export class ProductUnavailableError extends PermanentDeliveryError {
	override readonly name: string = 'ProductUnavailableError';
	constructor(
		message: string,
		readonly productIds: string[],
	) {
		super(message);
	}
}

/** The order cannot move that way (cancelled, refunded, or not one of Nitka's orders). */
export class HostOrderStateError extends PermanentDeliveryError {
	override readonly name: string = 'HostOrderStateError';
	constructor(
		message: string,
		readonly status: number,
		readonly orderStatus?: string,
	) {
		super(message);
	}
}

/** The tenant has no paired site with a callback URL. */
export class SiteUnavailableError extends PermanentDeliveryError {
	override readonly name: string = 'SiteUnavailableError';
}

const WpErrorSchema = z.object({
	code: z.string(),
	message: z.string().optional(),
	data: z
		.object({
			status: z.number().optional(),
			productIds: z.array(z.number().int()).optional(),
			orderStatus: z.string().optional(),
		})
		.loose()
		.nullish(),
});

export interface PluginCallOptions {
	now: () => number;
	fetchImpl?: typeof fetch;
	timeoutMs?: number;
}

/** The REST route WordPress signs and verifies (pretty permalinks or `?rest_route=`). */
export function restRoute(url: URL): string {
	return url.searchParams.get('rest_route') ?? url.pathname.replace(/^.*\/wp-json/, '');
}

function retryAfterMs(response: Response): number | undefined {
	const value = response.headers.get('retry-after');
	if (!value) return undefined;
	const seconds = Number(value);
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) * 1000 : undefined;
}

/** One signed call; `path` is under the callback URL (`/products`, `/orders/12/status`). */
export async function callPlugin<S extends z.ZodType>(
	site: WooCommerceSite,
	path: string,
	body: unknown,
	schema: S,
	options: PluginCallOptions,
): Promise<z.infer<S>> {
	if (!site.callbackUrl) throw new SiteUnavailableError('the shop has no callback URL (re-pair the plugin)');
	const url = new URL(`${site.callbackUrl.replace(/\/+$/, '')}${path}`);
	const raw = JSON.stringify(body);
	let response: Response;
	try {
		response = await (options.fetchImpl ?? fetch)(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
				...signedHeaders(
					site.siteId,
					site.secret,
					{ method: 'POST', path: restRoute(url), body: raw },
					options.now(),
				),
			},
			body: raw,
			redirect: 'manual',
			signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
		});
	} catch (error) {
		throw new TransientDeliveryError('the shop did not answer', undefined, { cause: error });
	}
	const text = await response.text().catch(() => '');
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	if (response.status >= 500 || response.status === 429) {
		throw new TransientDeliveryError(`the shop answered ${response.status}`, retryAfterMs(response));
	}
	if (response.status >= 300 && response.status < 400) {
		throw new PermanentDeliveryError(
			`the shop redirected (${response.status}); its callback URL needs re-pairing`,
		);
	}
	if (!response.ok) {
		const problem = WpErrorSchema.safeParse(json);
		const code = problem.success ? problem.data.code : 'unknown';
		const detail = `the shop refused (${response.status} ${code})`;
		if (problem.success && code === 'nitka_product_unavailable') {
			throw new ProductUnavailableError(detail, (problem.data.data?.productIds ?? []).map(String));
		}
		if (response.status === 404 || response.status === 409) {
			throw new HostOrderStateError(detail, response.status, problem.data?.data?.orderStatus);
		}
		throw new PermanentDeliveryError(detail);
	}
	if (json === undefined) throw new TransientDeliveryError('the shop answered a page that is not JSON');
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		throw new PermanentDeliveryError(
			`the shop's answer is not what the plugin sends: ${parsed.error.message}`,
		);
	}
	return parsed.data;
}
