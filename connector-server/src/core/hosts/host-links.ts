import type { IdentifierType } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { maskString } from '../../observability/personal-data.ts';
import type { Clock } from '../clock.ts';
import { appendEvent } from '../events/event-store.ts';
import { findCustomerByIdentifier, memberIds, resolveCustomer, rootOf } from '../identity/identity-graph.ts';
import type { HostLinks } from '../ports/host-links.ts';

/** HostLinks on the identity graph (contact links) and `host_records` (everything else). */
export function createHostLinks(db: Db, clock: Clock): HostLinks {
	async function identitiesOf(tenantId: string, customerId: string, types: string[]) {
		const root = await rootOf(db, tenantId, customerId);
		const members = await memberIds(db, tenantId, root);
		return await db
			.selectFrom('identities')
			.select(['type', 'value', 'verified', 'created_at'])
			.where('tenant_id', '=', tenantId)
			.where('customer_id', 'in', members)
			.where('type', 'in', types)
			.orderBy('created_at')
			.execute();
	}
	return {
		async contactOf(tenantId, customerId, type) {
			const rows = await identitiesOf(tenantId, customerId, [type]);
			// The oldest link wins: a merge may bring a second contact, which the host merge resolves.
			return rows[0]?.value ?? null;
		},
		async customerOf(tenantId, contactId, type) {
			return await findCustomerByIdentifier(db, tenantId, type, contactId);
		},
		async linkContact(tenantId, input) {
			const at = clock.now();
			return await db.transaction().execute(async (tx) => {
				const identifiers = [
					...input.identifiers,
					{ type: input.type, value: input.contactId, verified: true },
				];
				// Anchor the contact on the given customer itself (not through one of its identifiers:
				// those may be a guest's claims, which would only open a review).
				const anchorCustomerId = input.customerId ? await rootOf(tx, tenantId, input.customerId) : undefined;
				const resolved = await resolveCustomer(tx, {
					tenantId,
					identifiers,
					source: 'host',
					profile: input.name ? { name: input.name, source: 'host' } : undefined,
					anchorCustomerId,
					at,
				});
				for (const link of resolved.linked) {
					await appendEvent(tx, {
						tenantId,
						customerId: resolved.customerId,
						type: 'identity.linked',
						channel: input.type.startsWith('bitrix24') ? 'bitrix24' : 'nitka',
						occurredAt: at,
						recordedAt: at,
						sourceKey: `host:${input.type}:${input.contactId}:link:${link.type}:${link.value}`,
						data: { type: link.type, value: maskString(link.value), method: 'host' },
					});
				}
				return resolved.customerId;
			});
		},
		async unlinkContact(tenantId, contactId, type: IdentifierType) {
			const result = await db
				.deleteFrom('identities')
				.where('tenant_id', '=', tenantId)
				.where('type', '=', type)
				.where('value', '=', contactId)
				.executeTakeFirst();
			return Number(result.numDeletedRows) > 0;
		},
		async profile(tenantId, customerId) {
			const root = await rootOf(db, tenantId, customerId);
			const customer = await db
				.selectFrom('customers')
				.select('name')
				.where('tenant_id', '=', tenantId)
				.where('id', '=', root)
				.executeTakeFirst();
			const rows = await identitiesOf(tenantId, root, ['phone', 'email']);
			return {
				customerId: root,
				name: customer?.name ?? null,
				phones: rows.filter((r) => r.type === 'phone').map((r) => r.value),
				emails: rows.filter((r) => r.type === 'email').map((r) => r.value),
			};
		},
		async getRecord(tenantId, kind, localKey) {
			const row = await db
				.selectFrom('host_records')
				.select(['remote_id', 'data'])
				.where('tenant_id', '=', tenantId)
				.where('kind', '=', kind)
				.where('local_key', '=', localKey)
				.executeTakeFirst();
			return row ? { remoteId: row.remote_id, data: JSON.parse(row.data) as Record<string, unknown> } : null;
		},
		async putRecord(tenantId, kind, localKey, remoteId, data) {
			const at = clock.now();
			await db
				.insertInto('host_records')
				.values({
					tenant_id: tenantId,
					kind,
					local_key: localKey,
					remote_id: remoteId,
					data: JSON.stringify(data),
					updated_at: at,
				})
				.onConflict((oc) =>
					oc
						.columns(['tenant_id', 'kind', 'local_key'])
						.doUpdateSet({ remote_id: remoteId, data: JSON.stringify(data), updated_at: at }),
				)
				.execute();
		},
	};
}
