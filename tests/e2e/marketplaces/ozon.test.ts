import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OzonEmulator, ozonDefaultCredentials, startOzonEmulator } from '../../emulators/ozon/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram/index.ts';
import {
	eventually,
	type MarketplaceStack,
	orderCounts,
	type SyncBody,
	settled,
	startMarketplaceStack,
} from './stack.ts';

// Ozon end to end: keys checked on connect, a 30-day backfill that survives a restart and a 429 storm,
// pushes answered to Ozon's contract and reconciled by polling, and a parcel insert whose deep link
// joins an anonymous FBS order to the Telegram customer who scanned it.
const DAY = 86_400_000;

interface OrderBody {
	id: string;
	externalId: string;
	status: string;
	rawStatus: string;
	customerId: string;
	buyerKnown: boolean;
}

describe('Ozon orders on the timeline', () => {
	let ozon: OzonEmulator;
	let tg: TelegramEmulator;
	let stack: MarketplaceStack;
	let connectionId: string;
	const generated = 3_000;

	beforeAll(async () => {
		ozon = await startOzonEmulator({ retiredEndpoints: 'reject' });
		tg = await startTelegramEmulator({ webhook: { initialDelayMs: 50, maxDelayMs: 200 } });
		ozon.seller.generate(generated, { since: Date.now() - 29 * DAY, until: Date.now() - 3_600_000, seed: 3 });
		stack = await startMarketplaceStack({
			marketplaceApi: { ozon: ozon.url },
			channelApi: { telegram: tg.url },
		});
	});
	afterAll(async () => {
		await stack.close();
		await Promise.all([ozon.close(), tg.close()]);
	});

	it('refuses bad keys with problem JSON and stores nothing', async () => {
		const bad = await stack.api<{ status: number; code: string; detail: string }>('POST', '/marketplaces', {
			marketplace: 'ozon',
			clientId: ozonDefaultCredentials.clientId,
			apiKey: 'wrong-api-key-123',
		});
		expect(bad.status).toBe(400);
		expect(bad.body.code).toBe('validation_failed');
		expect(bad.body.detail).toMatch(/ozon rejected the keys/);
		const list = await stack.api<{ items: unknown[] }>('GET', '/marketplaces');
		expect(list.body.items).toEqual([]);
	});

	it('backfills 30 days once, across a restart mid-backfill and a 429 storm, within the limits', async () => {
		// Slow pages keep the backfill running long enough to restart in the middle of it.
		const slow = ozon.faults.add({ match: /\/posting\/fb[so]\/list$/, fault: { kind: 'latency', ms: 150 } });
		const storm = ozon.faults.add({ match: '/v4/posting/fbs/list', fault: { kind: 'rate-limit' }, times: 6 });
		const connected = await stack.api<SyncBody>('POST', '/marketplaces', {
			marketplace: 'ozon',
			clientId: ozonDefaultCredentials.clientId,
			apiKey: ozonDefaultCredentials.apiKey,
		});
		expect(connected.status).toBe(201);
		expect(connected.body.sync.phase).toBe('backfill');
		expect(connected.body.pushUrl).toMatch(/\/hooks\/marketplaces\/ozon\/[0-9A-Z]{26}\/[\w-]+$/);
		connectionId = connected.body.connection.id;

		await eventually(async () => {
			const view = await stack.api<SyncBody>('GET', `/marketplaces/${connectionId}`);
			return view.body.sync.pages >= 1 && view.body.sync.phase === 'backfill';
		});
		await stack.restart();
		slow();
		const done = await settled(stack, connectionId);
		expect(done.sync.percent).toBe(100);
		expect(done.sync.quarantined).toBe(0);

		const counts = await orderCounts(stack.server, 'ozon');
		expect(counts).toEqual({ orders: generated, created: generated });
		// The storm was ridden out, and the connector's own pace never drew a real 429 from Ozon's 50 per second.
		expect(ozon.faults.take('/v4/posting/fbs/list')).toEqual([]);
		storm();
		expect(ozon.state.rateLimitedTotal).toBe(0);
		expect([...ozon.state.stats.retiredCalls.values()].reduce((a, b) => a + b, 0)).toBe(0);

		// Repeated sweeps change nothing.
		const before = ozon.requests.all().length;
		await eventually(async () => ozon.requests.all().length > before + 4);
		expect(await orderCounts(stack.server, 'ozon')).toEqual(counts);
	});

	it('falls back to the v3 FBS list where v4 is missing', async () => {
		const v3 = await startOzonEmulator({ credentials: [{ clientId: '777', apiKey: 'ozon-v3-only-key' }] });
		const gone = v3.faults.add({ match: '/v4/posting/fbs/list', fault: { kind: 'status', status: 404 } });
		v3.seller.generate(40, { since: Date.now() - 5 * DAY, until: Date.now() - DAY, schemes: ['FBS'] });
		const other = await startMarketplaceStack({ marketplaceApi: { ozon: v3.url } });
		try {
			const connected = await other.api<SyncBody>('POST', '/marketplaces', {
				marketplace: 'ozon',
				clientId: '777',
				apiKey: 'ozon-v3-only-key',
				backfillDays: 7,
			});
			expect(connected.status).toBe(201);
			await settled(other, connected.body.connection.id);
			expect(await orderCounts(other.server, 'ozon')).toEqual({ orders: 40, created: 40 });
			expect(v3.requests.filter((r) => r.path === '/v3/posting/fbs/list').length).toBeGreaterThan(0);
		} finally {
			gone();
			await other.close();
			await v3.close();
		}
	});

	it('answers pushes to contract, moves statuses and keeps redeliveries idempotent', async () => {
		const view = await stack.api<SyncBody>('GET', `/marketplaces/${connectionId}`);
		const registered = await ozon.push.register(view.body.pushUrl!);
		expect(registered.verdict).toBe('OK');

		const posting = ozon.seller.createPosting({
			scheme: 'rFBS',
			customer: { customer_id: 90_000_001, name: 'Ирина П.' },
		});
		const order = await eventually(async () => {
			const found = await stack.api<{ items: OrderBody[] }>(
				'GET',
				`/orders?number=${posting.posting_number}`,
			);
			return found.body.items[0];
		});
		expect(order.buyerKnown).toBe(true);
		ozon.seller.move(posting.posting_number, 'awaiting_deliver');
		ozon.seller.move(posting.posting_number, 'sent_by_seller');
		await ozon.push.idle();
		await ozon.push.redeliverFailed();
		const moved = await eventually(async () => {
			const found = await stack.api<OrderBody>('GET', `/orders/${order.id}`);
			return found.body.status === 'shipped' ? found.body : undefined;
		});
		expect(moved.rawStatus).toBe('sent_by_seller');

		// Redelivery of every push: still one event per status.
		for (const d of [...ozon.push.deliveries]) {
			if (d.message.message_type !== 'TYPE_PING')
				await fetch(view.body.pushUrl!, { method: 'POST', body: JSON.stringify(d.message) });
		}
		const events = await stack.server.db
			.selectFrom('events')
			.select(['type', 'source_key'])
			.where('source_key', 'like', `ozon:${posting.posting_number}:%`)
			.execute();
		expect(events.map((e) => e.source_key).sort()).toEqual(
			[
				`ozon:${posting.posting_number}:awaiting_deliver`,
				`ozon:${posting.posting_number}:created`,
				`ozon:${posting.posting_number}:sent_by_seller`,
			].sort(),
		);
		expect(ozon.push.deliveries.every((d) => d.verdict === 'OK' && d.metDeadline)).toBe(true);
		expect(ozon.push.suspendedReason).toBeNull();

		// A wrong secret in the path is refused.
		const forged = await fetch(view.body.pushUrl!.replace(/[\w-]+$/, 'x'.repeat(32)), {
			method: 'POST',
			body: JSON.stringify({ message_type: 'TYPE_PING', time: new Date().toISOString() }),
		});
		expect(forged.status).toBe(401);
	});

	it('links an anonymous FBS order to the Telegram customer who scans its parcel insert', async () => {
		const bot = await stack.api<{ connection: { id: string } }>('POST', '/connections', {
			channel: 'telegram',
			token: tg.token,
		});
		expect(bot.status).toBe(201);
		const posting = ozon.seller.createPosting({ scheme: 'FBS' });
		const order = await eventually(async () => {
			const found = await stack.api<{ items: OrderBody[] }>(
				'GET',
				`/orders?number=${posting.posting_number}`,
			);
			return found.body.items[0];
		});
		expect(order.buyerKnown).toBe(false);
		const insert = await stack.api<{
			token: string;
			caption: string;
			links: { channel: string; url: string }[];
		}>('POST', `/orders/${order.id}/insert`, {});
		expect(insert.status).toBe(201);
		expect(insert.body.caption).toBe('Track this order in Telegram / VK');
		expect(insert.body.links.find((l) => l.channel === 'telegram')?.url).toMatch(
			new RegExp(`^https://t\\.me/\\w+\\?start=${insert.body.token}$`),
		);

		tg.user({ id: 7_001, first_name: 'Oleg' }).start(insert.body.token);
		const linked = await eventually(async () => {
			const found = await stack.api<{ items: { id: string }[] }>(
				'GET',
				'/customers?identifierType=telegram&identifier=7001',
			);
			const customer = found.body.items?.[0];
			const now = await stack.api<OrderBody>('GET', `/orders/${order.id}`);
			return customer && customer.id === now.body.customerId ? customer : undefined;
		});
		const timeline = await stack.api<{ items: { type: string; data: Record<string, unknown> }[] }>(
			'GET',
			`/customers/${linked.id}/timeline?limit=200`,
		);
		expect(
			timeline.body.items.some(
				(e) => e.type === 'order.created' && e.data.orderId === posting.posting_number,
			),
		).toBe(true);
		expect(
			timeline.body.items.some((e) => e.type === 'identity.linked' && e.data.method === 'deep-link'),
		).toBe(true);

		// The token is single-use: a second scan by someone else links nothing.
		tg.user({ id: 7_002, first_name: 'Someone' }).start(insert.body.token);
		const stranger = await eventually(async () => {
			const found = await stack.api<{ items: { id: string }[] }>(
				'GET',
				'/customers?identifierType=telegram&identifier=7002',
			);
			return found.body.items?.[0];
		});
		expect(stranger.id).not.toBe(linked.id);
	});
});
