import type { Express, Request, Response } from 'express';
import { type FaultInjector, KeyedBuckets } from '../kit/index.ts';
import type { CallbackSender } from './callback-sender.ts';
import type { VkErrorInjector } from './error-injector.ts';
import { errorBody, VkApiError } from './errors.ts';
import type { EventDispatcher } from './events.ts';
import { runExecute } from './execute.ts';
import type { LongPollHub } from './long-poll.ts';
import type { MethodContext, MethodTable } from './method-context.ts';
import { groupsMethods } from './methods/groups.ts';
import { messagesMethods } from './methods/messages.ts';
import { usersMethods } from './methods/users.ts';
import type { ResolvedVkOptions } from './options.ts';
import { readParams, readToken, type VkParams } from './params.ts';
import type { Community, VkState } from './state.ts';
import type { Json } from './types.ts';
import { isVersion } from './version.ts';

/** Every method the emulator implements; `execute` is routed separately (it has its own envelope). */
export const methods: MethodTable = { ...groupsMethods, ...messagesMethods, ...usersMethods };

export interface ApiDeps {
	state: VkState;
	options: ResolvedVkOptions;
	faults: FaultInjector;
	vkErrors: VkErrorInjector;
	events: EventDispatcher;
	longPoll: LongPollHub;
	sender: CallbackSender;
	baseUrl: () => string;
}

/** Checks the token and returns its community, or throws error 5 the way VK words it. */
function authenticate(deps: ApiDeps, token: string | undefined): Community {
	if (!token) throw new VkApiError(5, 'no access_token passed.');
	const record = deps.state.tokens.get(token);
	if (!record || record.status === 'revoked') throw new VkApiError(5, 'invalid access_token (4).');
	if (record.status === 'expired') throw new VkApiError(5, 'access_token has expired.');
	return deps.state.community(record.groupId);
}

/**
 * Mounts `/method/<name>` (GET or POST). Order of checks: injected faults, `v` (error 8), token
 * (error 5), per-token rate limit (error 6), method (error 3), then the handler. Every VK error is
 * an HTTP 200 with `{error: {error_code, error_msg, request_params}}` (channels.md §3.1).
 */
export function mountApiRoutes(app: Express, deps: ApiDeps): void {
	const limiter = new KeyedBuckets(
		deps.options.communityRateLimit,
		deps.options.communityRateLimit,
		deps.options.clock,
	);

	const contextFor = (
		method: string,
		params: VkParams,
		version: string,
		community: Community,
	): MethodContext => ({
		method,
		params,
		version,
		community,
		state: deps.state,
		options: deps.options,
		events: deps.events,
		longPoll: deps.longPoll,
		sender: deps.sender,
		baseUrl: deps.baseUrl(),
		call: async (inner, innerParams) => {
			injectedError(inner);
			return await invoke(inner, innerParams, version, community);
		},
	});

	const injectedError = (method: string): void => {
		const code = deps.vkErrors.take(method);
		if (code !== undefined) throw new VkApiError(code);
	};

	const invoke = async (
		method: string,
		params: VkParams,
		version: string,
		community: Community,
	): Promise<Json> => {
		const handler = methods[method];
		if (!handler) throw new VkApiError(3);
		return await handler(contextFor(method, params, version, community));
	};

	const handle = async (req: Request, res: Response): Promise<void> => {
		const method = String(req.params.method);
		const params = readParams(req);
		try {
			const fault = await deps.faults.apply(method);
			if (fault?.kind === 'status') {
				res.status(fault.status).type('text/html').send(`<html><body><h1>${fault.status}</h1></body></html>`);
				return;
			}
			if (fault?.kind === 'rate-limit') throw new VkApiError(6);
			if (fault?.kind === 'expired-token') throw new VkApiError(5, 'access_token has expired.');
			const version = params.v;
			if (!version) throw new VkApiError(8, 'v (version) is required');
			if (!isVersion(version)) throw new VkApiError(8, 'v (version) is invalid');
			const community = authenticate(deps, readToken(req, params));
			if (!limiter.take(`token:${community.token}`).ok) throw new VkApiError(6);
			injectedError(method);
			if (method === 'execute') {
				res.json(await runExecute(contextFor(method, params, version, community)));
				return;
			}
			res.json({ response: await invoke(method, params, version, community) });
		} catch (error) {
			if (!(error instanceof VkApiError)) {
				res.json({ error: errorBody(new VkApiError(10), method, params) });
				return;
			}
			res.json({ error: errorBody(error, method, params) });
		}
	};

	app.get('/method/:method', handle);
	app.post('/method/:method', handle);
}
