import type { EventReactor } from '../ingest/ingest.ts';
import { consumeLinkToken } from './link-tokens.ts';
import { joinMessengerAccount, messengerAccountOf } from './messenger-join.ts';

/**
 * Follows deep links: an event that arrived with a link token joins the messenger customer to the
 * customer the token was issued for — a merge with its evidence, so it shows on the timeline and can
 * be undone. A token is spent once; an expired or unknown one changes nothing.
 */
export const linkReactor: EventReactor = async (stored, tx) => {
	for (const item of stored) {
		const token = item.event.linkToken;
		if (!token) continue;
		const at = item.event.occurredAt;
		const account = await messengerAccountOf(tx, item.tenantId, item.customerId, item.event.channel);
		if (!account) continue;
		const bound = await consumeLinkToken(tx, item.tenantId, token, `${account.type}:${account.value}`, at);
		if (!bound) continue;
		await joinMessengerAccount(tx, {
			tenantId: item.tenantId,
			channel: item.event.channel,
			account,
			messengerCustomerId: item.customerId,
			knownCustomerId: bound.customerId,
			sourceKey: item.event.sourceKey,
			method: 'deep-link',
			at,
		});
	}
	return [];
};
