import { z } from 'zod';
import type { WebhookIntake } from '../../core/ports/channel.ts';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import { safeEqual } from '../../security/tokens.ts';
import { vkSentKey } from './sent-key.ts';

const KeySchema = z.looseObject({
	type: z.string(),
	event_id: z.string().min(1),
	group_id: z.number().int(),
});
const ReplySchema = z.looseObject({
	type: z.literal('message_reply'),
	object: z.looseObject({ random_id: z.number().int() }),
});
const SecretSchema = z.looseObject({ secret: z.string() });
const ConfirmationSchema = z.looseObject({ type: z.literal('confirmation'), group_id: z.number().int() });

/**
 * VK Callback API: the secret key travels in the body (`secret`), `event_id` is the dedupe key,
 * the `confirmation` handshake is answered with the community's code, and every stored event
 * with the plain text `ok` — only after it is stored, unlike vk-io's webhook helper.
 */
export const vkIntake: WebhookIntake = {
	verify(request, target) {
		const parsed = SecretSchema.safeParse(request.body);
		if (!target.webhookSecret || !parsed.success) return false;
		return safeEqual(parsed.data.secret, target.webhookSecret);
	},
	handshake(body, target) {
		const parsed = ConfirmationSchema.safeParse(body);
		if (!parsed.success) return null;
		const code = target.settings.confirmationCode;
		if (typeof code !== 'string' || parsed.data.group_id !== target.settings.groupId) return null;
		return { contentType: 'text/plain', body: code };
	},
	sourceKey(body, target) {
		const parsed = KeySchema.safeParse(body);
		if (!parsed.success) throw new UnparseablePayloadError('a VK event needs type, event_id and group_id');
		const group = String(target.settings.groupId ?? parsed.data.group_id);
		// The community's own message is keyed by its random_id (0 = sent without one).
		const reply = ReplySchema.safeParse(body);
		if (reply.success && reply.data.object.random_id !== 0)
			return vkSentKey(group, reply.data.object.random_id);
		return `vk:${group}:${parsed.data.event_id}`;
	},
	acknowledge: { contentType: 'text/plain', body: 'ok' },
};
