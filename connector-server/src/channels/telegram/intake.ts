import { z } from 'zod';
import type { WebhookIntake } from '../../core/ports/channel.ts';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import { safeEqual } from '../../security/tokens.ts';

const UpdateIdSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/**
 * Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`;
 * `update_id` is unique per bot, so it is the dedupe key.
 */
export const telegramIntake: WebhookIntake = {
	verify(request, target) {
		const header = request.headers['x-telegram-bot-api-secret-token'];
		if (!target.webhookSecret || typeof header !== 'string') return false;
		return safeEqual(header, target.webhookSecret);
	},
	sourceKey(body, target) {
		const parsed = UpdateIdSchema.safeParse(body);
		if (!parsed.success) throw new UnparseablePayloadError('a Telegram update needs an integer update_id');
		return `telegram:${String(target.settings.botId ?? target.connectionId)}:${parsed.data.update_id}`;
	},
};
