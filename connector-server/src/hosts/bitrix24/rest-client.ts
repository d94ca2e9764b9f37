import { AjaxError, ApiVersion, B24OAuth, EnumAppStatus, SdkError } from '@bitrix24/b24jssdk';
import { z } from 'zod';
import type { HostPortal, HostTokens } from '../../core/ports/host-portals.ts';
import { Bitrix24ApiError } from './errors.ts';
import { buildPhpQuery } from './php-form.ts';
import { takePortalTurn } from './portal-turn.ts';
import type { TokenBroker } from './token-broker.ts';

/** Bitrix24's leaky bucket for one portal (research §3): 2/s with a burst of 50 unless Enterprise. */
export interface PortalLimits {
	burst: number;
	drainPerSecond: number;
}

export interface BatchCommand {
	method: string;
	params: Record<string, unknown>;
}

export interface BatchOutcome {
	results: Record<string, unknown>;
	errors: Record<string, { code: string; description: string }>;
}

const BatchResultSchema = z.object({
	result: z.object({
		// PHP empty arrays arrive as `[]` (research §2.4).
		result: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
		result_error: z.union([
			z.record(z.string(), z.object({ error: z.string(), error_description: z.string().optional() })),
			z.array(z.unknown()),
		]),
	}),
});

export const MAX_BATCH = 50;

/**
 * One portal's REST client. It is b24jssdk's B24OAuth (transport, auth retry on expired_token,
 * the client-side leaky bucket per portal), wrapped where the SDK falls short for a server that
 * shares a portal among processes:
 * - refresh goes through our locked TokenBroker (`setCustomRefreshAuth`): the SDK only coalesces
 *   refreshes inside one process;
 * - retries are off (`maxRetries: 1`): the SDK would sleep 10 s in-process on 429, and the outbox
 *   retries durably with backoff instead;
 * - batch goes through `call('batch')`, because the SDK's batch helper drops per-command errors
 *   (a failed command simply vanishes from the result), and we must retry exactly those.
 */
export class Bitrix24RestClient {
	readonly #b24: B24OAuth;

	constructor(
		readonly portal: HostPortal,
		tokens: HostTokens,
		broker: TokenBroker,
		limits: PortalLimits,
		app: { clientId: string; clientSecret: string },
	) {
		this.#b24 = new B24OAuth(
			{
				applicationToken: '',
				userId: 0,
				memberId: portal.externalId,
				accessToken: tokens.accessToken,
				refreshToken: tokens.refreshToken,
				expires: Math.floor(tokens.expiresAt / 1000),
				expiresIn: 3600,
				scope: '',
				domain: portal.domain,
				clientEndpoint: portal.clientEndpoint.replace(/\/+$/, ''),
				serverEndpoint: portal.serverEndpoint,
				status: EnumAppStatus.Local,
			},
			app,
			{
				restrictionParams: {
					maxRetries: 1,
					retryOnNetworkError: false,
					rateLimit: { burstLimit: limits.burst, drainRate: limits.drainPerSecond, adaptiveEnabled: false },
					adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
				},
			},
		);
		this.#b24.offClientSideWarning();
		this.#b24.setCustomRefreshAuth(async () => {
			const stale = this.#accessToken();
			const fresh = await broker.refresh(portal.tenantId, portal.serverEndpoint, stale);
			return {
				access_token: fresh.accessToken,
				refresh_token: fresh.refreshToken,
				expires: Math.floor(fresh.expiresAt / 1000),
				expires_in: 3600,
				client_endpoint: portal.clientEndpoint.replace(/\/+$/, ''),
				server_endpoint: portal.serverEndpoint,
				scope: '',
				status: EnumAppStatus.Local,
				domain: portal.domain,
				member_id: portal.externalId,
			} as never;
		});
	}

	#accessToken(): string {
		const data = this.#b24.auth.getAuthData();
		return data ? data.access_token : '';
	}

	/**
	 * Waits (at most `maxWaitMs`) for this portal's bucket to admit a call made outside the SDK;
	 * 0 when admitted, else the expected wait in ms.
	 */
	async takeTurn(method: string, maxWaitMs: number): Promise<number> {
		return await takePortalTurn(this.#b24.getHttpClient(ApiVersion.v2), method, maxWaitMs);
	}

	/** Calls one method; returns `result` parsed by `schema`. */
	async call<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
		let data: unknown;
		try {
			const answer = await this.#b24.actions.v2.call.make({ method, params });
			data = answer.getData();
		} catch (error) {
			throw toApiError(error);
		}
		const parsed = z.object({ result: schema }).safeParse(data);
		if (!parsed.success) {
			throw new Bitrix24ApiError(
				'UNEXPECTED_ANSWER',
				502,
				`${method}: unexpected answer: ${parsed.error.message}`,
			);
		}
		return parsed.data.result;
	}

	/**
	 * One page of a list method (50 rows from `start`): its rows parsed by `schema`, with the
	 * `total` and `next` the portal lifts beside `result` (research §2.3).
	 */
	async callPage<T>(
		method: string,
		params: Record<string, unknown>,
		schema: z.ZodType<T>,
	): Promise<{ items: T[]; total: number | null; next: number | null }> {
		let data: unknown;
		try {
			data = (await this.#b24.actions.v2.call.make({ method, params })).getData();
		} catch (error) {
			throw toApiError(error);
		}
		const parsed = z
			.object({
				result: z.array(schema),
				total: z.coerce.number().int().optional(),
				next: z.coerce.number().int().optional(),
			})
			.safeParse(data);
		if (!parsed.success) {
			throw new Bitrix24ApiError(
				'UNEXPECTED_ANSWER',
				502,
				`${method}: unexpected answer: ${parsed.error.message}`,
			);
		}
		return { items: parsed.data.result, total: parsed.data.total ?? null, next: parsed.data.next ?? null };
	}

	/**
	 * Up to 50 commands in one request: every command's result or error, by key. With `halt`, the
	 * portal stops at the first failed command; the commands after it are in neither map (not run).
	 */
	async batch(
		commands: Record<string, BatchCommand>,
		options: { halt?: boolean } = {},
	): Promise<BatchOutcome> {
		const keys = Object.keys(commands);
		if (keys.length > MAX_BATCH) throw new Error(`a batch takes at most ${MAX_BATCH} commands`);
		const cmd = Object.fromEntries(
			keys.map((key) => {
				const command = commands[key]!;
				return [key, `${command.method}?${buildPhpQuery(command.params)}`];
			}),
		);
		const answer = await this.call(
			'batch',
			{ halt: options.halt ? 1 : 0, cmd },
			BatchResultSchema.shape.result,
		);
		const results = Array.isArray(answer.result) ? {} : answer.result;
		const errors: BatchOutcome['errors'] = {};
		if (!Array.isArray(answer.result_error)) {
			for (const [key, value] of Object.entries(answer.result_error)) {
				errors[key] = { code: value.error, description: value.error_description ?? '' };
			}
		}
		return { results, errors };
	}
}

function toApiError(error: unknown): Bitrix24ApiError {
	if (error instanceof Bitrix24ApiError) return error;
	if (error instanceof AjaxError || error instanceof SdkError) {
		const status =
			error instanceof AjaxError ? error.status : Number((error as { status?: number }).status ?? 0);
		return new Bitrix24ApiError(String(error.code), status, error.message, { cause: error });
	}
	// The custom refresh's own errors arrive wrapped by the SDK.
	const cause = (error as { cause?: unknown })?.cause;
	if (cause instanceof Bitrix24ApiError) return cause;
	return new Bitrix24ApiError('NETWORK_ERROR', 0, error instanceof Error ? error.message : String(error), {
		cause: error,
	});
}
