import { MessagingChannelSchema } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { botMessage } from '../conversations/bot-message.ts';
import { rootOf } from '../identity/identity-graph.ts';
import type { OutboxJobInput } from '../ports/outbound.ts';
import { updateClaim } from './order-claims.ts';
import { orderLinkTexts, tenantLanguage } from './order-link-texts.ts';

/**
 * The shop decided a review that an "is this your order?" answer opened: the claim is joined (and
 * the chat is told) or rejected (the chat is told nothing: a refusal would confirm a guess). Runs
 * in the decision's transaction; the send jobs it returns go to the outbox with it.
 */
export async function settleOrderClaims(
	tx: Db,
	tenantId: string,
	reviewId: string,
	decision: 'approve' | 'reject',
	at: number,
): Promise<OutboxJobInput[]> {
	const claims = await tx
		.selectFrom('order_claims')
		.select(['id', 'chat', 'order_customer_id'])
		.where('tenant_id', '=', tenantId)
		.where('review_id', '=', reviewId)
		.where('status', 'in', ['review', 'awaiting-contact'])
		.execute();
	const jobs: OutboxJobInput[] = [];
	for (const claim of claims) {
		await updateClaim(tx, claim.id, { status: decision === 'approve' ? 'joined' : 'rejected', at });
		if (decision !== 'approve' || !claim.order_customer_id) continue;
		const [channel, connectionId, ...rest] = claim.chat.split(':');
		const parsed = MessagingChannelSchema.safeParse(channel);
		if (!parsed.success || !connectionId || rest.length === 0) continue;
		const texts = orderLinkTexts[await tenantLanguage(tx, tenantId)];
		jobs.push(
			...(await botMessage(tx, {
				tenantId,
				customerId: await rootOf(tx, tenantId, claim.order_customer_id),
				channel: parsed.data,
				connectionId,
				chatId: rest.join(':'),
				text: texts.joined,
				key: `order-linked:review:${reviewId}:${claim.id}`,
				at,
			})),
		);
	}
	return jobs;
}
