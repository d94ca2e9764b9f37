import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { ClientPool } from './client-pool.ts';
import { CONTACT_IDENTITY } from './crm-contacts.ts';
import { MAX_BATCH } from './rest-client.ts';

/** A tenant's linked Bitrix24 contact ids in ascending order, keyset-paged after `after`. */
export type LinkedContacts = (
	tenantId: string,
	after: string | undefined,
	limit: number,
) => Promise<string[]>;

const IdRows = z.array(z.object({ ID: z.coerce.string() }));

/**
 * Notices contacts deleted or merged away in Bitrix24 whose event never reached us (events are not
 * retried): every linked contact is asked for by ID, 50 per `crm.contact.list` command and 50
 * commands per batch, through the portal's pooled client and its leaky bucket. A contact is
 * unlinked only when its command succeeded and the portal did not return it.
 */
export function createContactSweep(deps: {
	store: HostPortalStore;
	pool: ClientPool;
	links: HostLinks;
	linked: LinkedContacts;
	onError: (error: unknown) => void;
}) {
	async function sweepTenant(tenantId: string): Promise<number> {
		const client = await deps.pool.forTenant(tenantId);
		let unlinked = 0;
		let after: string | undefined;
		for (;;) {
			const ids = await deps.linked(tenantId, after, MAX_BATCH * MAX_BATCH);
			if (ids.length === 0) return unlinked;
			const chunks: string[][] = [];
			for (let i = 0; i < ids.length; i += MAX_BATCH) chunks.push(ids.slice(i, i + MAX_BATCH));
			const outcome = await client.batch(
				Object.fromEntries(
					chunks.map((chunk, i) => [
						`s${i}`,
						{ method: 'crm.contact.list', params: { filter: { ID: chunk }, select: ['ID'] } },
					]),
				),
			);
			for (const [i, chunk] of chunks.entries()) {
				const rows = IdRows.safeParse(outcome.results[`s${i}`]);
				if (!rows.success) continue; // failed or not run: ask again next sweep
				const present = new Set(rows.data.map((row) => row.ID));
				for (const id of chunk) {
					if (present.has(id)) continue;
					if (await deps.links.unlinkContact(tenantId, id, CONTACT_IDENTITY)) unlinked += 1;
				}
			}
			after = ids.at(-1);
		}
	}

	return {
		/** One pass over every active portal; returns how many links were dropped. */
		async runOnce(): Promise<number> {
			let unlinked = 0;
			for (const portal of await deps.store.listActive('bitrix24')) {
				try {
					unlinked += await sweepTenant(portal.tenantId);
				} catch (error) {
					deps.onError(error);
				}
			}
			return unlinked;
		},
		sweepTenant,
	};
}
