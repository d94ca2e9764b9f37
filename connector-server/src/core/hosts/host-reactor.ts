import type { HostKind } from '@nitka/shared';
import type { EventReactor } from '../ingest/ingest.ts';
import type { HostEventMapper } from '../ports/host-intake.ts';

/**
 * Runs a host's pure event mapper inside the ingest transaction, for the tenants that have an
 * active install of that host only, so other tenants never get jobs they cannot deliver.
 */
export function createHostReactor(host: HostKind, mapper: HostEventMapper): EventReactor {
	return async (stored, tx) => {
		if (stored.length === 0) return [];
		const tenants = [...new Set(stored.map((s) => s.tenantId))];
		const active = new Set(
			(
				await tx
					.selectFrom('host_portals')
					.select('tenant_id')
					.where('host', '=', host)
					.where('status', '=', 'active')
					.where('tenant_id', 'in', tenants)
					.execute()
			).map((row) => row.tenant_id),
		);
		const mine = stored.filter((s) => active.has(s.tenantId));
		return mine.length > 0 ? mapper(mine) : [];
	};
}
