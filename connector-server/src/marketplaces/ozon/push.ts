import type { MarketplaceAdapter, PushReceipt } from '../../core/ports/marketplace.ts';
import { OzonPushSchema } from './schemas.ts';

type Push = NonNullable<MarketplaceAdapter['push']>;

const POSTING_TYPES = new Set(['TYPE_NEW_POSTING', 'TYPE_POSTING_CANCELLED', 'TYPE_STATE_CHANGED']);

const error = (code: string, message: string): PushReceipt => ({
	status: 400,
	body: { error: { code, message, details: null } },
});

/**
 * Ozon push notifications (research §5.5): a ping is answered with `{version, name, time}`, every
 * other notification with `{"result": true}` once stored — within Ozon's 5 s, since nothing is
 * parsed before the answer. Posting notifications are stored (and wake the poller); the others
 * (chats, stocks, prices) are acknowledged and left alone.
 */
export const ozonPush: Push = {
	suffix: '',
	receive(body, connection, now) {
		const parsed = OzonPushSchema.safeParse(body);
		if (!parsed.success) return error('ERROR_PARAMETER_VALUE_MISSED', 'message_type is required');
		const m = parsed.data;
		if (m.message_type === 'TYPE_PING') {
			return { status: 200, body: { version: '0.1.0', name: 'nitka', time: new Date(now).toISOString() } };
		}
		if (!POSTING_TYPES.has(m.message_type)) return { status: 200, body: { result: true } };
		if (!m.posting_number) return error('ERROR_PARAMETER_VALUE_MISSED', 'posting_number is required');
		const when = m.changed_state_date ?? m.in_process_at ?? '';
		return {
			status: 200,
			body: { result: true },
			store: {
				sourceKey: `ozon:push:${connection.connectionId}:${m.posting_number}:${m.message_type}:${m.new_state ?? ''}:${when}`,
				payload: { kind: 'ozon-push', message: m },
			},
		};
	},
};
