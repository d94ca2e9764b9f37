import type { MarketplaceAdapter } from '../../core/ports/marketplace.ts';
import { YmNotificationSchema } from './schemas.ts';

type Push = NonNullable<MarketplaceAdapter['push']>;

/**
 * Yandex Market API notifications (research §7.4): Market POSTs to `<url>/notification` and wants
 * 200 `{version, name, time}` within 10 s (1 s for PING). Order notifications are stored first and
 * wake the poller, which fetches the order in full; duplicates are normal and answered 200.
 */
export const ymPush: Push = {
	suffix: '/notification',
	receive(body, connection, now) {
		const parsed = YmNotificationSchema.safeParse(body);
		if (!parsed.success) {
			return {
				status: 400,
				body: { error: { type: 'WRONG_EVENT_FORMAT', message: 'notificationType is required' } },
			};
		}
		const n = parsed.data;
		const answer = { version: '0.1.0', name: 'nitka', time: new Date(now).toISOString() };
		if (!n.notificationType.startsWith('ORDER_')) return { status: 200, body: answer };
		if (n.orderId === undefined) {
			return { status: 400, body: { error: { type: 'WRONG_EVENT_FORMAT', message: 'orderId is required' } } };
		}
		const when = n.updatedAt ?? n.cancelledAt ?? n.createdAt ?? '';
		return {
			status: 200,
			body: answer,
			store: {
				sourceKey: `yandex-market:push:${connection.connectionId}:${n.orderId}:${n.notificationType}:${n.status ?? ''}:${n.substatus ?? ''}:${when}`,
				payload: { kind: 'ym-push', notification: n },
			},
		};
	},
};
