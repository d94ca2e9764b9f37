import type { Clock, FaultInjector } from '../kit/index.ts';
import type { EventDispatcher } from './events.ts';
import type { PortalLimiter } from './limiter.ts';
import type { Caller, MethodContext, MethodSpec } from './method-types.ts';
import type { OAuthServer } from './oauth.ts';
import type { PhpRecord } from './php-query.ts';
import type { AppDefinition, PortalState } from './portal-state.ts';
import { buildTime, type MethodResult, RestError, type RestTime, restErrors } from './rest-envelope.ts';

export type Invocation =
	| { ok: true; outcome: MethodResult; time: RestTime }
	| { ok: false; error: RestError; time?: RestTime };

export interface InvokeDeps {
	clock: Clock;
	oauth: OAuthServer;
	events: EventDispatcher;
	faults: FaultInjector;
	methods: Readonly<Record<string, MethodSpec>>;
	app(clientId: string): AppDefinition | undefined;
	/** Simulated execution seconds per call, charged to the operating budget (default 0). */
	methodCost(method: string): number;
}

/** The key the operating budget is counted under: the app, or the webhook's user. */
function callerKey(caller: Caller): string {
	return caller.kind === 'oauth' ? `app:${caller.appId}` : `hook:${caller.userId}`;
}

/**
 * Runs one method for an authenticated caller: context and scope checks, the operating budget,
 * the handler, and the `time` block. Shared by plain calls and batch commands.
 */
export async function invokeMethod(
	deps: InvokeDeps,
	portal: PortalState,
	limiter: PortalLimiter,
	call: { caller: Caller; method: string; params: PhpRecord; start: number | undefined },
): Promise<Invocation> {
	const startMs = deps.clock.now();
	const spec = deps.methods[call.method];
	if (!spec) return { ok: false, error: restErrors.methodNotFound() };
	if (spec.appOnly && call.caller.kind !== 'oauth') return { ok: false, error: restErrors.wrongAuthType() };
	if (spec.scope && !call.caller.scope.includes(spec.scope)) {
		return { ok: false, error: restErrors.insufficientScope() };
	}
	const key = callerKey(call.caller);
	if (limiter.isBlocked(key, call.method)) return { ok: false, error: restErrors.operationTimeLimit() };
	const context: MethodContext = {
		portal,
		params: call.params,
		start: call.start,
		caller: call.caller,
		clock: deps.clock,
		oauth: deps.oauth,
		events: deps.events,
		app: deps.app,
		emit: (event, data, options) => {
			void deps.events.emit(portal, event, data, options);
		},
	};
	let outcome: MethodResult;
	try {
		outcome = await spec.handler(context);
	} catch (error) {
		if (error instanceof RestError) return { ok: false, error };
		throw error;
	}
	const cost = deps.methodCost(call.method);
	limiter.spend(key, call.method, cost);
	const { operating, resetAt } = limiter.operating(key, call.method);
	const time = buildTime({
		startMs,
		finishMs: deps.clock.now(),
		processingSeconds: cost,
		operating,
		operatingResetAt: resetAt,
		offsetMinutes: portal.offsetMinutes,
	});
	return { ok: true, outcome, time };
}

/** The `time` block for answers that ran no method (batch wrapper, errors). */
export function bareTime(deps: InvokeDeps, portal: PortalState, startMs: number): RestTime {
	return buildTime({
		startMs,
		finishMs: deps.clock.now(),
		processingSeconds: 0,
		operating: 0,
		operatingResetAt: Math.floor(deps.clock.now() / 1000) + 600,
		offsetMinutes: portal.offsetMinutes,
	});
}
