import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInboxItems } from '../../../connector-server/src/core/orders/sync-store.ts';
import {
	startWildberriesEmulator,
	type WildberriesEmulator,
	wbDefaultToken,
} from '../../emulators/wildberries/index.ts';
import {
	startYandexMarketEmulator,
	type YandexMarketEmulator,
	ymDefaults,
} from '../../emulators/yandex-market/index.ts';
import {
	eventually,
	type MarketplaceStack,
	orderCounts,
	phoneIdentities,
	type SyncBody,
	settled,
	startMarketplaceStack,
} from './stack.ts';

// Wildberries (poll only, 429 with X-Ratelimit-Retry) and Yandex Market (v1 business orders, 4 parallel,
// 420, API notifications) through their emulators.
const DAY = 86_400_000;

interface OrderBody {
	id: string;
	status: string;
	rawStatus: string;
	buyerKnown: boolean;
	customerId: string;
}

describe('Wildberries and Yandex Market orders', () => {
	let wb: WildberriesEmulator;
	let ym: YandexMarketEmulator;
	let stack: MarketplaceStack;

	beforeAll(async () => {
		[wb, ym] = await Promise.all([startWildberriesEmulator(), startYandexMarketEmulator()]);
		stack = await startMarketplaceStack({ marketplaceApi: { wildberries: wb.url, 'yandex-market': ym.url } });
	});
	afterAll(async () => {
		await stack.close();
		await Promise.all([wb.close(), ym.close()]);
	});

	it('Wildberries: backfill through a 429 storm, statuses move by polling, DBS buyers by name and INN only', async () => {
		wb.seller.generate(2_500, { since: Date.now() - 29 * DAY, until: Date.now() - 3_600_000, seed: 5 });
		const b2b = wb.seller.createOrder({
			type: 'DBS',
			b2b: { inn: '7707083893', kpp: '773601001', orgName: 'ООО Ромашка' },
		});
		const storm = wb.faults.add({
			match: '/api/v3/orders/status',
			fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
			times: 3,
		});
		const bad = await stack.api<{ status: number }>('POST', '/marketplaces', {
			marketplace: 'wildberries',
			token: 'not-a-real-token',
		});
		expect(bad.status).toBe(400);
		const connected = await stack.api<SyncBody>('POST', '/marketplaces', {
			marketplace: 'wildberries',
			token: wbDefaultToken,
		});
		expect(connected.status).toBe(201);
		expect(connected.body.pushUrl).toBeNull();
		const id = connected.body.connection.id;
		await settled(stack, id);
		storm();
		expect(await orderCounts(stack.server, 'wildberries')).toEqual({ orders: 2_501, created: 2_501 });
		// Only the injected 429s were seen: the connector's own pace stayed inside 300/min, burst 20.
		expect(wb.state.rateLimitedTotal).toBe(0);

		const business = await stack.api<{ items: OrderBody[] }>('GET', `/orders?number=${b2b[0]!.id}`);
		expect(business.body.items[0]?.buyerKnown).toBe(true);
		const byInn = await stack.api<{ items: { id: string }[] }>(
			'GET',
			'/customers?identifierType=inn&identifier=7707083893',
		);
		expect(byInn.body.items[0]?.id).toBe(business.body.items[0]?.customerId);
		// Substitute phones never become a person's phone.
		expect(await phoneIdentities(stack.server)).toEqual([]);

		const [task] = wb.seller.createOrder({ type: 'FBS' });
		const created = await eventually(async () => {
			const found = await stack.api<{ items: OrderBody[] }>('GET', `/orders?number=${task!.id}`);
			return found.body.items[0];
		});
		expect(created.status).toBe('awaiting_packaging');
		wb.seller.fulfil(task!.id);
		const delivered = await eventually(async () => {
			const found = await stack.api<OrderBody>('GET', `/orders/${created.id}`);
			return found.body.status === 'delivered' ? found.body : undefined;
		});
		expect(delivered.rawStatus).toBe('complete/sold');
	});

	it('Yandex Market: v1 business orders in 4 parallel slices through 420s, DBS buyer ids, notifications to contract', async () => {
		ym.seller.generate(600, { since: Date.now() - 29 * DAY, until: Date.now() - 3_600_000, seed: 9 });
		const storm = ym.faults.add({
			match: /\/v1\/businesses\/\d+\/orders/,
			fault: { kind: 'rate-limit' },
			times: 4,
		});
		const connected = await stack.api<SyncBody>('POST', '/marketplaces', {
			marketplace: 'yandex-market',
			apiKey: ymDefaults.apiKey,
			businessId: ymDefaults.businessId,
		});
		expect(connected.status).toBe(201);
		const id = connected.body.connection.id;
		await settled(stack, id);
		storm();
		expect(await orderCounts(stack.server, 'yandex-market')).toEqual({ orders: 600, created: 600 });
		// Never a 5th request in flight, and the deprecated campaign order lists never called.
		expect(ym.state.stats.limited.get('parallel') ?? 0).toBe(0);
		expect(ym.requests.filter((r) => /^\/v2\/campaigns\/\d+\/orders$/.test(r.path))).toEqual([]);

		const view = await stack.api<SyncBody>('GET', `/marketplaces/${id}`);
		const ping = await ym.notifications.register(view.body.pushUrl!);
		expect(ping.verdict).toBe('OK');
		const order = ym.seller.createOrder({
			campaignId: ymDefaults.dbsCampaignId,
			status: 'PROCESSING',
			buyer: { id: 'ym-buyer-42' },
		});
		const seen = await eventually(async () => {
			const found = await stack.api<{ items: OrderBody[] }>('GET', `/orders?number=${order.orderId}`);
			return found.body.items[0];
		});
		expect(seen.buyerKnown).toBe(true);
		ym.seller.move(order.orderId, 'DELIVERY');
		await ym.notifications.idle();
		await eventually(async () => {
			const found = await stack.api<OrderBody>('GET', `/orders/${seen.id}`);
			return found.body.status === 'shipped';
		});
		expect(ym.notifications.deliveries.every((d) => d.verdict === 'OK')).toBe(true);
		const buyer = await stack.api<{ items: { id: string }[] }>(
			'GET',
			'/customers?identifierType=yandex_market_buyer&identifier=ym-buyer-42',
		);
		expect(buyer.body.items[0]?.id).toBe(seen.customerId);
	});

	it('Yandex Market business buyers: INN/KPP from business-buyer (FBS by buyerType, DBS by the buyer type) → an inn identifier, never a phone', async () => {
		const company = {
			inn: '7736207543',
			kpp: '773601001',
			organizationName: 'ООО «Северный ветер»',
			organizationJurAddress: '119021, Москва, ул. Льва Толстого, 16',
		};
		const fbs = ym.seller.createOrder({
			campaignId: ymDefaults.fbsCampaignId,
			status: 'PROCESSING',
			buyer: { type: 'BUSINESS', business: company },
		});
		const dbs = ym.seller.createOrder({
			campaignId: ymDefaults.dbsCampaignId,
			status: 'PROCESSING',
			buyer: { type: 'BUSINESS', id: 'ym-b2b-7' },
		});
		// A second order of the same company lands on the same customer.
		const again = ym.seller.createOrder({
			campaignId: ymDefaults.fbsCampaignId,
			status: 'PROCESSING',
			buyer: { type: 'BUSINESS', business: company },
		});
		const order = (number: number) =>
			eventually(async () => {
				const found = await stack.api<{ items: OrderBody[] }>('GET', `/orders?number=${number}`);
				return found.body.items[0]?.buyerKnown ? found.body.items[0] : undefined;
			});
		const [a, b, c] = await Promise.all([order(fbs.orderId), order(dbs.orderId), order(again.orderId)]);
		const byInn = await stack.api<{ items: { id: string }[] }>(
			'GET',
			`/customers?identifierType=inn&identifier=${company.inn}`,
		);
		expect(byInn.body.items).toHaveLength(1);
		expect(byInn.body.items[0]?.id).toBe(a.customerId);
		// A company: its organisation name is the customer's name.
		const view = await stack.api<{ displayName: string | null }>('GET', `/customers/${a.customerId}`);
		expect(view.body.displayName).toBe(company.organizationName);
		expect(c.customerId).toBe(a.customerId);
		// Its KPP is on the order's timeline entry, with the INN and the organisation.
		const timeline = await stack.api<{ items: { type: string; data: Record<string, unknown> }[] }>(
			'GET',
			`/customers/${a.customerId}/timeline?type=order.created`,
		);
		expect(timeline.body.items.map((item) => item.data.buyerCompany)).toEqual([
			{ inn: company.inn, kpp: company.kpp, name: company.organizationName },
			{ inn: company.inn, kpp: company.kpp, name: company.organizationName },
		]);
		// The DBS business buyer: its Market buyer id and its INN on one customer.
		const dbsInn = ym.state.orders.get(dbs.orderId)!.buyer.business!.inn;
		const dbsByInn = await stack.api<{ items: { id: string }[] }>(
			'GET',
			`/customers?identifierType=inn&identifier=${dbsInn}`,
		);
		const dbsById = await stack.api<{ items: { id: string }[] }>(
			'GET',
			'/customers?identifierType=yandex_market_buyer&identifier=ym-b2b-7',
		);
		expect(dbsByInn.body.items[0]?.id).toBe(b.customerId);
		expect(dbsById.body.items[0]?.id).toBe(b.customerId);
		const lookups = ym.requests.filter((r) => r.path.endsWith('/business-buyer'));
		expect(lookups.length).toBe(3);
		expect(lookups.every((r) => r.method === 'POST')).toBe(true);
		expect(await phoneIdentities(stack.server)).toEqual([]);
	});

	it('a marketplace page Nitka cannot read is quarantined where the API shows it (error, source, connection, time) and can be requeued', async () => {
		const list = await stack.api<{ items: SyncBody[] }>('GET', '/marketplaces');
		const ymConnection = list.body.items.find((c) => c.pushUrl?.includes('/yandex-market/'))!.connection.id;
		// A page whose order lacks what BusinessOrderDTO requires, as if Market changed its answer.
		await storeInboxItems(
			stack.server.db,
			{ tenantId: stack.tenantId, connectionId: ymConnection, source: 'yandex-market' },
			[
				{
					sourceKey: 'yandex-market:page:e2e-bad',
					payload: { kind: 'ym-page', fetchedAt: 0, orders: [{ orderId: 'x' }] },
				},
			],
			Date.now(),
		);
		stack.server.orderWorker.poke();
		type Item = {
			id: string;
			inbox: string;
			source: string;
			connectionId: string;
			error: string;
			receivedAt: string;
			attempts: number;
		};
		const item = await eventually(async () => {
			const page = await stack.api<{ items: Item[] }>('GET', `/quarantine?connectionId=${ymConnection}`);
			return page.body.items[0];
		});
		expect(item).toMatchObject({
			inbox: 'marketplaces',
			source: 'yandex-market',
			connectionId: ymConnection,
			attempts: 1,
		});
		expect(item.error).toContain('orderId');
		expect(Date.parse(item.receivedAt)).toBeGreaterThan(0);
		const view = await stack.api<SyncBody>('GET', `/marketplaces/${ymConnection}`);
		expect(view.body.sync.quarantined).toBe(1);
		const health = await stack.api<{ quarantined: number }>('GET', '/health');
		expect(health.body.quarantined).toBe(1);
		expect((await stack.api('POST', `/quarantine/${item.id}/requeue`)).status).toBe(204);
		// Still unreadable: the worker takes it again and puts it back, with a fresh attempt count.
		const again = await eventually(async () => {
			const page = await stack.api<{ items: Item[] }>('GET', '/quarantine?source=yandex-market');
			return page.body.items.find((q) => q.id === item.id);
		});
		expect(again.attempts).toBe(1);
		expect((await stack.api('POST', '/quarantine/01KAAAAAAAAAAAAAAAAAAAAAAA/requeue')).status).toBe(404);
	});
});
