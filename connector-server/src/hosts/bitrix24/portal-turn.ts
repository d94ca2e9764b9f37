import { RestrictionManager, type TypeHttp } from '@bitrix24/b24jssdk';

/**
 * Takes one slot of the SDK's per-portal leaky bucket for a call the SDK does not make itself
 * (the frame token check goes out with the user's token, not the app's). Waits at most
 * `maxWaitMs`; answers 0 when the slot is taken, or the expected wait when it is longer.
 *
 * The SDK keeps its limiter on the http client without typing it; we find it by class, so an SDK
 * that moves it fails the e2e session test instead of silently skipping the bucket.
 */
export async function takePortalTurn(http: TypeHttp, method: string, maxWaitMs: number): Promise<number> {
	const stats = http.getStats() as { tokens?: number; lastRefill?: number; drainRate?: number };
	const drain = stats.drainRate ?? 2;
	const tokens = (stats.tokens ?? 1) + ((Date.now() - (stats.lastRefill ?? 0)) * drain) / 1000;
	const wait = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / drain);
	if (wait > maxWaitMs) return wait;
	const manager: unknown = Reflect.get(http, '_restrictionManager');
	if (!(manager instanceof RestrictionManager))
		throw new Error('b24jssdk: no restriction manager on the http client');
	await manager.checkRateLimit(`frame-${method}`, method);
	return 0;
}
