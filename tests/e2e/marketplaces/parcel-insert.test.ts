import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../../connector-server/src/core/tenants/api-keys.ts';
import { QUIET_ZONE, qrModules } from '../../../connector-server/src/marketplaces/insert/qr.ts';
import { type OzonEmulator, ozonDefaultCredentials, startOzonEmulator } from '../../emulators/ozon/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram/index.ts';
import { readPdf } from '../../unit/connector-server/marketplaces/insert/pdf-reader.ts';
import { readPng, sampleModules } from '../../unit/connector-server/marketplaces/insert/png-reader.ts';
import { eventually, type MarketplaceStack, settled, startMarketplaceStack } from './stack.ts';

// Printable parcel inserts end to end: the PDF and PNG are read back (text, QR modules), and scanning
// the printed link in the Telegram emulator joins an anonymous Ozon order to the scanner's timeline.
const TME = /^https:\/\/t\.me\/\w+\?start=([A-Za-z0-9_-]{32})$/;

describe('parcel inserts', () => {
	let ozon: OzonEmulator;
	let tg: TelegramEmulator;
	let stack: MarketplaceStack;
	let key: string;
	const orders: { id: string; number: string }[] = [];

	async function post(route: string, body: unknown) {
		const response = await fetch(`${stack.server.url}/api/v1/tenants/${stack.tenantId}${route}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { response, body: Buffer.from(await response.arrayBuffer()) };
	}

	beforeAll(async () => {
		ozon = await startOzonEmulator({ retiredEndpoints: 'reject' });
		tg = await startTelegramEmulator({ webhook: { initialDelayMs: 50, maxDelayMs: 200 } });
		stack = await startMarketplaceStack({
			marketplaceApi: { ozon: ozon.url },
			channelApi: { telegram: tg.url },
		});
		key = (await issueApiKey(stack.server.db, { tenantId: stack.tenantId }, 'inserts', Date.now())).key;
		const connected = await stack.api<{ connection: { id: string } }>('POST', '/marketplaces', {
			marketplace: 'ozon',
			clientId: ozonDefaultCredentials.clientId,
			apiKey: ozonDefaultCredentials.apiKey,
		});
		await settled(stack, connected.body.connection.id);
		for (let i = 0; i < 2; i++) {
			const posting = ozon.seller.createPosting({ scheme: 'FBS' });
			orders.push(
				await eventually(async () => {
					const found = await stack.api<{ items: { id: string; number: string }[] }>(
						'GET',
						`/orders?number=${posting.posting_number}`,
					);
					return found.body.items[0];
				}),
			);
		}
	});
	afterAll(async () => {
		await stack.close();
		await Promise.all([ozon.close(), tg.close()]);
	});

	it('refuses to print while no messenger is connected, and 404s an unknown order', async () => {
		const none = await post(`/orders/${orders[0]?.id}/insert.pdf`, {});
		expect(none.response.status).toBe(409);
		const bot = await stack.api('POST', '/connections', { channel: 'telegram', token: tg.token });
		expect(bot.status).toBe(201);
		const unknown = await post('/orders/inserts.pdf', {
			orderIds: [orders[0]?.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ'],
		});
		expect(unknown.response.status).toBe(404);
	});

	it('prints many inserts in one PDF, one page per order, each with its own token', async () => {
		const { response, body } = await post('/orders/inserts.pdf', {
			orderIds: orders.map((o) => o.id),
			compress: false,
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('cache-control')).toBe('no-store');
		const text = body.toString('latin1');
		expect(text.startsWith('%PDF-')).toBe(true);
		expect(text.match(/\/Type \/Page\b/g)).toHaveLength(2);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+PTSans-Regular/);
		const pages = readPdf(body);
		expect(pages.map((p) => p.lines[1])).toEqual(orders.map((o) => `Заказ / Order № ${o.number}`));
		const tokens = pages.map((p) => p.lines.find((line) => TME.test(line))?.match(TME)?.[1]);
		expect(new Set(tokens).size).toBe(2);
		for (const p of pages) {
			expect(p.lines).toContain('Следите за заказом в Telegram / VK');
			expect(p.lines).toContain('Track this order in Telegram / VK');
			expect(p.lines[2]).toBe('Ozon');
		}
	});

	it('gives label printers the QR alone as a PNG that reads back to the deep link', async () => {
		const { response, body } = await post(`/orders/${orders[1]?.id}/insert.png`, { scale: 5 });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		const link = response.headers.get('nitka-insert-link') ?? '';
		expect(link).toMatch(TME);
		const modules = qrModules(link);
		expect(sampleModules(readPng(body), modules.length, QUIET_ZONE)).toEqual(modules);
	});

	it('links the order to the Telegram customer who scans its insert, once', async () => {
		const first = await post(`/orders/${orders[0]?.id}/insert.pdf`, { compress: false });
		expect(first.response.status).toBe(200);
		const [page] = readPdf(first.body);
		const link = page?.lines.find((line) => TME.test(line)) ?? '';
		const token = link.match(TME)?.[1] ?? '';
		expect(page?.links).toContain(link);
		// A re-print issues a new token; the first stays valid (it may already be in a parcel).
		const reprint = readPdf((await post(`/orders/${orders[0]?.id}/insert.pdf`, { compress: false })).body);
		expect(reprint[0]?.lines.find((line) => TME.test(line))).not.toBe(link);

		tg.user({ id: 7_101, first_name: 'Vera' }).start(token);
		const linked = await eventually(async () => {
			const found = await stack.api<{ items: { id: string }[] }>(
				'GET',
				'/customers?identifierType=telegram&identifier=7101',
			);
			const customer = found.body.items?.[0];
			const now = await stack.api<{ customerId: string }>('GET', `/orders/${orders[0]?.id}`);
			return customer && customer.id === now.body.customerId ? customer : undefined;
		});
		const timeline = await stack.api<{ items: { type: string; data: Record<string, unknown> }[] }>(
			'GET',
			`/customers/${linked.id}/timeline?limit=200`,
		);
		expect(timeline.body.items.some((e) => e.type === 'order.created')).toBe(true);

		// Single use: the same printed link scanned by someone else joins nothing.
		tg.user({ id: 7_102, first_name: 'Stranger' }).start(token);
		const stranger = await eventually(async () => {
			const found = await stack.api<{ items: { id: string }[] }>(
				'GET',
				'/customers?identifierType=telegram&identifier=7102',
			);
			return found.body.items?.[0];
		});
		expect(stranger.id).not.toBe(linked.id);
		const after = await stack.api<{ customerId: string }>('GET', `/orders/${orders[0]?.id}`);
		expect(after.body.customerId).toBe(linked.id);
	});
});
