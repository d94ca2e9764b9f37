import type { WebhookIntake } from '../../core/ports/channel.ts';
import { UnparseablePayloadError } from '../../core/ports/inbound.ts';
import { safeEqual } from '../../security/tokens.ts';
import { maxSourceKey } from './source-key.ts';

/** MAX webhooks: the subscription's secret arrives in `X-Max-Bot-Api-Secret`. */
export const maxIntake: WebhookIntake = {
	verify(request, target) {
		const header = request.headers['x-max-bot-api-secret'];
		if (!target.webhookSecret || typeof header !== 'string') return false;
		return safeEqual(header, target.webhookSecret);
	},
	sourceKey(body, target) {
		const key = maxSourceKey(body, String(target.settings.botId ?? target.connectionId));
		if (!key) throw new UnparseablePayloadError('a MAX update needs update_type and timestamp');
		return key;
	},
};
