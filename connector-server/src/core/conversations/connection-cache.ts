import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Clock } from '../clock.ts';
import type { ConnectedChannel } from '../ports/channel-client.ts';
import { loadConnection } from '../tenants/connections.ts';

const CACHE_MS = 5_000;

export type CachedConnection = ConnectedChannel & { status: string };

/**
 * Opened connections for outbox handlers, kept a few seconds: a burst of sends to one bot opens
 * its sealed token once, and a disconnect is seen within the cache time.
 */
export function createConnectionCache(deps: { db: Db; box: SecretBox; clock: Clock }) {
	const cache = new Map<string, { value: CachedConnection; until: number }>();
	return async function connection(tenantId: string, id: string): Promise<CachedConnection> {
		const hit = cache.get(id);
		if (hit && hit.until > deps.clock.now()) return hit.value;
		const loaded = await loadConnection(deps.db, deps.box, id, tenantId);
		const value = {
			connectionId: id,
			tenantId,
			credentials: loaded.credentials,
			settings: loaded.settings,
			webhookSecret: loaded.webhookSecret,
			status: loaded.connection.status,
		};
		cache.set(id, { value, until: deps.clock.now() + CACHE_MS });
		return value;
	};
}
