import { IdSchema, MessagingChannelSchema, ReplyResultSchema } from '@nitka/shared';
import { z } from 'zod';
import { defineAction } from './define-action.ts';

/** The shop answers from its host (as the Bitrix24 app or the WordPress plugin would). */
export const shopReply = defineAction({
	input: z.object({
		customerId: IdSchema,
		text: z.string().trim().min(1).max(4000),
		channel: MessagingChannelSchema.optional(),
	}),
	async run({ api }, { customerId, text, channel }) {
		return await api.call('POST', `/customers/${customerId}/replies`, ReplyResultSchema, {
			text,
			author: 'demo',
			...(channel ? { channel } : {}),
		});
	},
});
