import type { HostPortal, HostPortalStore } from '../../core/ports/host-portals.ts';
import { Bitrix24ApiError } from './errors.ts';
import { Bitrix24RestClient, type PortalLimits } from './rest-client.ts';
import type { TokenBroker } from './token-broker.ts';

/**
 * One REST client per portal per process, so the SDK's client-side leaky bucket is shared by
 * every job, route and reconciliation that talks to that portal from here.
 */
export function createClientPool(deps: {
	store: HostPortalStore;
	broker: TokenBroker;
	limits: PortalLimits;
	app: { clientId: string; clientSecret: string };
}) {
	const clients = new Map<string, Bitrix24RestClient>();
	return {
		async forTenant(tenantId: string): Promise<Bitrix24RestClient> {
			const cached = clients.get(tenantId);
			if (cached) return cached;
			const portal = await deps.store.byTenant(tenantId);
			if (portal?.status !== 'active') {
				throw new Bitrix24ApiError('NO_AUTH_FOUND', 401, 'no active Bitrix24 install for this tenant');
			}
			return this.forPortal(portal);
		},
		async forPortal(portal: HostPortal): Promise<Bitrix24RestClient> {
			const cached = clients.get(portal.tenantId);
			if (cached) return cached;
			const { tokens } = await deps.broker.current(portal.tenantId);
			const client = new Bitrix24RestClient(portal, tokens, deps.broker, deps.limits, deps.app);
			clients.set(portal.tenantId, client);
			return client;
		},
		evict(tenantId: string) {
			clients.delete(tenantId);
		},
	};
}
export type ClientPool = ReturnType<typeof createClientPool>;
