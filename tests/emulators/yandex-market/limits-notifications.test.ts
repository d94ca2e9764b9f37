import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../marketplace-common/http-client.ts';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { answerJson, startTestReceiver } from '../marketplace-common/test-receiver.ts';
import { startYandexMarketEmulator, type YandexMarketEmulator, ymDefaults } from './index.ts';

const headers = { 'Api-Key': ymDefaults.apiKey };
let emu: YandexMarketEmulator;
let receiver: Awaited<ReturnType<typeof startTestReceiver>> | undefined;
afterEach(async () => {
	await emu.close();
	await receiver?.close();
	receiver = undefined;
});
const ordersUrl = () => `${emu.url}/v1/businesses/${ymDefaults.businessId}/orders`;

describe('Yandex Market limits (research §7.2)', () => {
	it('answers 420 Enhance Your Calm to the 5th parallel request for one business', async () => {
		emu = await startYandexMarketEmulator();
		// Four slow requests hold every slot; the fifth arrives while they are in flight.
		emu.faults.add({
			match: `/v1/businesses/${ymDefaults.businessId}/orders`,
			fault: { kind: 'latency', ms: 300 },
			times: 4,
		});
		const slow = Array.from({ length: 4 }, () => call(ordersUrl(), { headers, body: {} }));
		await emu.requests.waitFor(() => emu.requests.all().length === 4);
		const fifth = await call(ordersUrl(), { headers, body: {} });
		expect(fifth.status).toBe(420);
		expect(fifth.body).toEqual({
			status: 'ERROR',
			errors: [
				{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit of 4 parallel requests for businessId 1001' },
			],
		});
		expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
		expect(emu.state.stats.limited.get('parallel')).toBe(1);
		// Slots are released once the answers are out.
		expect((await call(ordersUrl(), { headers, body: {} })).status).toBe(200);
	});

	it('counts the hourly orders quota with X-RateLimit-Resource-* headers; 4xx answers count too', async () => {
		const clock = new ManualClock('2026-11-02T09:15:00Z');
		emu = await startYandexMarketEmulator({
			clock,
			limits: { resources: { orders: { match: /\/orders$/, limit: 3, windowMs: 3_600_000 } } },
		});
		const first = await call(ordersUrl(), { headers, body: {} });
		expect(first.headers.get('x-ratelimit-resource-limit')).toBe('3');
		expect(first.headers.get('x-ratelimit-resource-remaining')).toBe('2');
		expect(first.headers.get('x-ratelimit-resource-until')).toBe('Mon, 02 Nov 2026 10:00:00 GMT');
		expect((await call(ordersUrl(), { headers, body: { statuses: ['NOPE'] } })).status).toBe(400);
		expect((await call(ordersUrl(), { headers, body: {} })).status).toBe(200);
		const over = await call(ordersUrl(), { headers, body: {} });
		expect(over.status).toBe(420);
		expect(emu.state.stats.limited.get('orders')).toBe(1);
		clock.advance(45 * 60_000);
		expect((await call(ordersUrl(), { headers, body: {} })).status).toBe(200);
	});

	it('defaults to the platform values: 4 parallel, orders 10 000/h, buyer 3 000/h', async () => {
		emu = await startYandexMarketEmulator();
		const res = await call(ordersUrl(), { headers, body: {} });
		expect(res.headers.get('x-ratelimit-resource-limit')).toBe('10000');
	});
});

const serviceAnswer = () => ({ version: '1.0', name: 'nitka', time: new Date().toISOString() });

describe('Yandex Market API notifications (research §7.4)', () => {
	it('PINGs on registration and sends ORDER_CREATED / ORDER_STATUS_UPDATED / ORDER_CANCELLED to <url>/notification', async () => {
		emu = await startYandexMarketEmulator();
		receiver = await startTestReceiver((_push, res) => answerJson(res, 200, serviceAnswer()));
		const ping = await emu.notifications.register(receiver.url);
		expect(ping).toMatchObject({ verdict: 'OK', metContract: true });
		expect(receiver.received[0]).toMatchObject({ path: '/notification', body: { notificationType: 'PING' } });
		expect(Object.keys(receiver.received[0]!.body as object).sort()).toEqual(['notificationType', 'time']);

		const order = emu.seller.createOrder({ items: [{ offerId: 'mug-1', count: 2 }] });
		emu.seller.move(order.orderId, 'CANCELLED', 'USER_CHANGED_MIND');
		await emu.notifications.idle();
		const bodies = receiver.received.slice(1).map((r) => r.body as Record<string, unknown>);
		expect(bodies[0]).toEqual({
			notificationType: 'ORDER_CREATED',
			orderId: order.orderId,
			campaignId: ymDefaults.dbsCampaignId,
			items: [{ offerId: 'mug-1', count: 2 }],
			createdAt: expect.any(String),
		});
		expect(bodies[1]).toEqual({
			notificationType: 'ORDER_STATUS_UPDATED',
			orderId: order.orderId,
			campaignId: ymDefaults.dbsCampaignId,
			status: 'CANCELLED',
			substatus: 'USER_CHANGED_MIND',
			updatedAt: expect.any(String),
		});
		expect(bodies[2]).toMatchObject({ notificationType: 'ORDER_CANCELLED', cancelledAt: expect.any(String) });
		expect(emu.notifications.deliveries.every((d) => d.verdict === 'OK')).toBe(true);
	});

	it('flags receivers that answer wrongly: {"result": true}, a bad time, a 500 with its error type', async () => {
		emu = await startYandexMarketEmulator();
		let answer: { status: number; body: unknown } = { status: 200, body: serviceAnswer() };
		receiver = await startTestReceiver((_push, res) => answerJson(res, answer.status, answer.body));
		await emu.notifications.register(receiver.url);
		const send = () => emu.notifications.send({ notificationType: 'ORDER_STATUS_UPDATED', orderId: 1 });
		answer = { status: 200, body: { result: true } };
		expect((await send())!.verdict).toBe('INVALID_ANSWER');
		answer = { status: 200, body: { version: '1', name: 'n', time: 'yesterday' } };
		expect((await send())!.verdict).toBe('INVALID_TIME');
		answer = { status: 500, body: { error: { type: 'UNKNOWN', message: 'db down' } } };
		expect(await send()).toMatchObject({ verdict: 'WRONG_STATUS', errorType: 'UNKNOWN', metContract: false });
	});

	it('flags a PING answered after 1 s and an event answered after 10 s (injectable clock)', async () => {
		const clock = new ManualClock();
		emu = await startYandexMarketEmulator({ clock });
		let delayMs = 1_001;
		receiver = await startTestReceiver((_push, res) => {
			clock.advance(delayMs);
			answerJson(res, 200, serviceAnswer());
		});
		const ping = await emu.notifications.register(receiver.url);
		expect(ping).toMatchObject({ verdict: 'TIMEOUT', metDeadline: false });
		expect(emu.notifications.url).toBeUndefined();
		delayMs = 900;
		expect((await emu.notifications.register(receiver.url)).verdict).toBe('OK');
		delayMs = 9_000;
		expect((await emu.notifications.send({ notificationType: 'ORDER_UPDATED', orderId: 1 }))!.verdict).toBe(
			'OK',
		);
		delayMs = 10_001;
		const late = await emu.notifications.send({ notificationType: 'ORDER_UPDATED', orderId: 1 });
		expect(late).toMatchObject({ verdict: 'TIMEOUT', metDeadline: false, elapsedMs: 10_001 });
	});
});
