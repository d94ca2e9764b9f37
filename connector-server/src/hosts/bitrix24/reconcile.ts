import { z } from 'zod';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { ClientPool } from './client-pool.ts';
import { Bitrix24ApiError } from './errors.ts';
import type { EventIntake } from './events.ts';

const OfflineSchema = z.object({
	events: z
		.array(z.object({ EVENT_NAME: z.string(), EVENT_DATA: z.record(z.string(), z.unknown()).default({}) }))
		.default([]),
});

/**
 * Bitrix24 never retries an event (research §6.2), so the events that matter are also bound
 * offline and drained here with `event.offline.get` (clear=1). A drained event goes through the
 * same intake as a delivered one; source keys and dedupe keys make the overlap harmless.
 * Portals whose REST lacks the method (the local emulator) are skipped after the first try.
 */
export function createReconciler(deps: {
	store: HostPortalStore;
	pool: ClientPool;
	events: EventIntake;
	onError: (error: unknown) => void;
}) {
	const unsupported = new Set<string>();
	return {
		async runOnce(): Promise<number> {
			let drained = 0;
			for (const portal of await deps.store.listActive('bitrix24')) {
				if (unsupported.has(portal.tenantId)) continue;
				try {
					const client = await deps.pool.forPortal(portal);
					const answer = await client.call('event.offline.get', { clear: 1, limit: 50 }, OfflineSchema);
					for (const event of answer.events) {
						await deps.events.handleOffline(portal, event.EVENT_NAME, event.EVENT_DATA);
						drained += 1;
					}
				} catch (error) {
					if (error instanceof Bitrix24ApiError && error.code === 'ERROR_METHOD_NOT_FOUND')
						unsupported.add(portal.tenantId);
					else deps.onError(error);
				}
			}
			return drained;
		},
	};
}
