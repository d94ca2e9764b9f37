import type { ReplyRequest, ReplyResult } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { type Clock, newId } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { enqueueJobs } from '../outbox/outbox-repository.ts';
import type { HostIntake } from '../ports/host-intake.ts';

export type ReplyFn = (tenantId: string, customerId: string, request: ReplyRequest) => Promise<ReplyResult>;

/**
 * HostIntake: a host event is stored in the inbox as already processed (its processing *is* the
 * jobs, enqueued in the same transaction), deduplicated by (tenant, source key) like any webhook.
 */
export function createHostIntake(db: Db, clock: Clock, reply: ReplyFn): HostIntake {
	return {
		async accept(input) {
			const at = clock.now();
			return await db.transaction().execute(async (tx) => {
				const inserted = await tx
					.insertInto('inbox')
					.values({
						id: newId(at),
						tenant_id: input.tenantId,
						connection_id: null,
						source: input.source,
						source_key: input.sourceKey,
						payload: input.payload,
						headers: '{}',
						received_at: at,
						status: 'processed',
						attempts: 1,
						error: null,
						processed_at: at,
					})
					.onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing())
					.returning('id')
					.executeTakeFirst();
				if (!inserted) return 'duplicate' as const;
				if (input.jobs.length > 0) await enqueueJobs(tx, input.tenantId, input.jobs, at);
				return 'accepted' as const;
			});
		},
		async replyToChat(tenantId, input) {
			const chat = await db
				.selectFrom('conversation_chats')
				.select('customer_id')
				.where('tenant_id', '=', tenantId)
				.where('connection_id', '=', input.connectionId)
				.where('chat_id', '=', input.chatId)
				.executeTakeFirst();
			if (!chat) throw new NotFoundError(`chat ${input.channel}:${input.chatId}`);
			const result = await reply(tenantId, chat.customer_id, {
				text: input.text,
				channel: input.channel,
				connectionId: input.connectionId,
				author: input.author,
				origin: input.origin,
				idempotencyKey: input.idempotencyKey,
			});
			return { customerId: chat.customer_id, replyId: result.replyId };
		},
	};
}
