import type { IdentifierType } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { maskString } from '../../observability/personal-data.ts';
import { newId } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { appendEvent } from '../events/event-store.ts';
import { createCustomer, memberIds, rootOf } from './identity-graph.ts';

export interface UnlinkResult {
	identityId: string;
	/** The customer the identifier left (the member row that held it). */
	previousCustomerId: string;
	/** The new independent customer that now owns the identifier. */
	customerId: string;
}

/**
 * Detaches one identifier from a customer (a merged id means its whole merge tree). The identity
 * row is never deleted: it moves to a new customer of its own, so the identifier still resolves
 * to exactly one customer and its next message does not re-join the old one. Refuses the tree's
 * last identifier, which would leave a customer nothing can find. The left customer's timeline
 * gets `identity.unlinked`.
 */
export async function unlinkIdentity(
	db: Db,
	input: { tenantId: string; customerId: string; identityId: string; at: number },
): Promise<UnlinkResult> {
	const { tenantId, at } = input;
	return await db.transaction().execute(async (tx) => {
		const root = await rootOf(tx, tenantId, input.customerId);
		const members = await memberIds(tx, tenantId, root);
		const identities = await tx
			.selectFrom('identities')
			.select(['id', 'customer_id', 'type', 'value'])
			.where('tenant_id', '=', tenantId)
			.where('customer_id', 'in', members)
			.execute();
		const identity = identities.find((row) => row.id === input.identityId);
		if (!identity) throw new NotFoundError(`identity ${input.identityId} of customer ${input.customerId}`);
		if (identities.length === 1) throw new ConflictError("a customer's last identifier cannot be unlinked");
		const customerId = await createCustomer(tx, tenantId, at);
		await tx
			.updateTable('identities')
			.set({ customer_id: customerId })
			.where('tenant_id', '=', tenantId)
			.where('id', '=', identity.id)
			.execute();
		await appendEvent(tx, {
			tenantId,
			customerId: identity.customer_id,
			type: 'identity.unlinked',
			channel: 'nitka',
			occurredAt: at,
			recordedAt: at,
			sourceKey: `nitka:unlink:${newId(at)}`,
			data: {
				identityId: identity.id,
				type: identity.type as IdentifierType,
				value: maskString(identity.value),
				newCustomerId: customerId,
			},
		});
		return { identityId: identity.id, previousCustomerId: identity.customer_id, customerId };
	});
}
