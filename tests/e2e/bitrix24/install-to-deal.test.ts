import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundBatch } from '../../../connector-server/src/core/ports/inbound.ts';
import { buildPhpQuery } from '../../emulators/bitrix24/index.ts';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from './stack.ts';

// Issue 5 end to end against the Bitrix24 and Telegram emulators: install → bindings → session →
// open line → a Telegram message in the open line and on the contact's timeline → the operator's
// reply in Telegram → an order as a deal moving stages → uninstall.
describe('Bitrix24: install, open lines, CRM and uninstall', () => {
	let stack: Bitrix24Stack;
	let tenantId: string;
	let session: string;
	let memberId: string;
	const base = () => `${stack.server.url}/api/v1/tenants/${tenantId}`;

	beforeAll(async () => {
		stack = await startBitrix24Stack();
	});
	afterAll(async () => {
		await stack?.close();
	});

	it('installs from the portal form POST: tenant created, tokens sealed, events, tabs and connector bound', async () => {
		const installed = await stack.b24.installApp(APP_ID);
		expect(installed.page?.status).toBe(200);
		memberId = installed.memberId;
		const row = await stack.server.db.selectFrom('host_portals').selectAll().executeTakeFirstOrThrow();
		tenantId = row.tenant_id;
		expect(row.external_id).toBe(memberId);
		expect(row.secrets).not.toContain(installed.auth.accessToken);
		expect(row.secrets).not.toContain(installed.auth.refreshToken);
		const { state } = stack.b24.portal();
		expect(
			state.events
				.filter((e) => !e.offline)
				.map((e) => e.event)
				.sort(),
		).toEqual(['ONAPPUNINSTALL', 'ONCRMCONTACTDELETE', 'ONCRMCONTACTUPDATE', 'ONIMCONNECTORMESSAGEADD']);
		expect(state.events.every((e) => e.handler.startsWith(`${stack.server.url}/hosts/bitrix24/events`))).toBe(
			true,
		);
		expect(state.placements.map((p) => p.placement).sort()).toEqual([
			'CRM_CONTACT_DETAIL_TAB',
			'CRM_DEAL_DETAIL_TAB',
			'CRM_LEAD_DETAIL_TAB',
		]);
		expect(state.placements[0]?.handler).toBe(`${stack.bitrixApp.url}/app/`);
		const connector = state.connectors.get('nitka');
		expect(connector?.icon.DATA_IMAGE).toMatch(/^data:image\/svg\+xml/);
		// The UI app finishes the install from its frame; here the portal is told directly.
		stack.b24.finishInstall(APP_ID);

		// A second install form (re-install) keeps the tenant and binds nothing twice.
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		expect(await stack.server.db.selectFrom('host_portals').select('tenant_id').execute()).toHaveLength(1);
		expect(stack.b24.portal().state.placements).toHaveLength(3);
	});

	it('issues a session for a verified frame: works on its tenant only; forged tokens get 401', async () => {
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const answer = await api<{
			token: string;
			tenantId: string;
			user: { id: string; isAdmin: boolean };
			language: string;
		}>(`${stack.server.url}/api/v1/hosts/bitrix24/session`, 'POST', undefined, {
			domain: frame.domain,
			memberId: frame.memberId,
			accessToken: frame.accessToken,
			placement: 'DEFAULT',
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ tenantId, user: { id: '1', isAdmin: true }, language: 'ru' });
		session = answer.body.token;

		const forged = await api(`${stack.server.url}/api/v1/hosts/bitrix24/session`, 'POST', undefined, {
			domain: frame.domain,
			memberId: frame.memberId,
			accessToken: 'f'.repeat(70),
		});
		expect(forged.status).toBe(401);
		const unknown = await api(`${stack.server.url}/api/v1/hosts/bitrix24/session`, 'POST', undefined, {
			domain: frame.domain,
			memberId: 'nobody',
			accessToken: frame.accessToken,
		});
		expect(unknown.status).toBe(404);

		const lines = await api<{ items: { ID: string }[] }>(`${base()}/bitrix24/open-lines`, 'GET', session);
		expect(lines.status).toBe(200);
		expect(lines.body.items[0]?.ID).toBe('1');
		const other = await stack.server.db
			.insertInto('tenants')
			.values({
				id: '01J00000000000000000000000',
				agency_id: null,
				kind: 'bitrix24',
				name: 'x',
				external_id: 'other',
				settings: '{}',
				created_at: 0,
			})
			.execute();
		expect(other).toBeDefined();
		const foreign = await api(
			`${stack.server.url}/api/v1/tenants/01J00000000000000000000000/customers?phone=%2B79990000000`,
			'GET',
			session,
		);
		expect(foreign.status).toBe(403);
		const tampered = await api(`${base()}/bitrix24/settings`, 'GET', `${session.slice(0, -2)}xx`);
		expect(tampered.status).toBe(401);
	});

	it('activates the chosen open line and sends a Telegram message there and to the contact timeline', async () => {
		const saved = await api(`${base()}/bitrix24/settings`, 'PUT', session, {
			openLineId: '1',
			deals: { categoryId: 0, stages: { ozon: { shipped: 'EXECUTING', delivered: 'WON' } } },
		});
		expect(saved.status).toBe(200);
		expect(stack.b24.portal().state.connectors.get('nitka')?.lines.get(1)?.active).toBe(true);

		const connected = await api<{ connection: { id: string } }>(`${base()}/connections`, 'POST', session, {
			channel: 'telegram',
			token: stack.tg.token,
		});
		expect(connected.status).toBe(201);
		const anna = stack.tg.user({ id: 7_001, first_name: 'Anna', last_name: 'K' });
		anna.shareOwnContact('+7 999 555-44-33');
		anna.sendText('Where is my order?');
		await stack.tg.webhookIdle();

		const { state } = stack.b24.portal();
		const inLine = await eventually(
			() => state.messages.find((m) => m.direction === 'in' && m.text === 'Where is my order?'),
			15_000,
		);
		const chat = state.chats.find((c) => c.chatId === inLine.chatId)!;
		expect(chat.externalChatId).toBe(`telegram:${connected.body.connection.id}:7001`);
		// The tracker bound the chat to the contact Nitka created (one contact, found by its IM value).
		const contacts = state.crm.all(3);
		expect(contacts).toHaveLength(1);
		expect(chat.contactId).toBe(contacts[0]!.ID);
		expect(contacts[0]!.multi.filter((m) => m.TYPE_ID === 'PHONE').map((m) => m.VALUE)).toEqual([
			'+79995554433',
		]);
		await eventually(() =>
			state.crm.logMessages.find(
				(l) => l.entityId === contacts[0]!.ID && l.text.includes('Where is my order?'),
			),
		);

		const card = await api<{ customer: { id: string; identities: { type: string; value: string }[] } }>(
			`${base()}/bitrix24/entities/contact/${contacts[0]!.ID}/customer`,
			'GET',
			session,
		);
		expect(card.status).toBe(200);
		expect(card.body.customer.identities.map((i) => i.type).sort()).toEqual([
			'bitrix24_contact',
			'phone',
			'telegram',
		]);

		// The operator answers in the open line: the reply reaches Telegram once, and the portal gets its delivery status.
		const reply = await stack.b24.replyAsOperator({
			connector: 'nitka',
			line: 1,
			chatId: chat.externalChatId,
			text: 'It ships today',
		});
		// With NEED_SIGNATURE the operator's name comes first; BB codes are stripped for the messenger.
		await eventually(() => anna.received.find((m) => m.text === 'Anna Admin:\nIt ships today'), 15_000);
		await eventually(() => state.messages.find((m) => m.messageId === reply.messageId && m.delivered));
		expect(anna.received.filter((m) => m.text?.endsWith('It ships today'))).toHaveLength(1);
		const timeline = await api<{ items: { type: string; data: { origin?: string; text?: string } }[] }>(
			`${base()}/customers/${card.body.customer.id}/timeline`,
			'GET',
			session,
		);
		expect(timeline.body.items.some((e) => e.type === 'message.out' && e.data.origin === 'bitrix24')).toBe(
			true,
		);
	});

	it('turns an order into a deal in the pipeline and moves it on every status change', async () => {
		const order = (
			type: 'order.created' | 'order.status_changed',
			data: Record<string, unknown>,
			key: string,
		): InboundBatch => ({
			identifiers: [{ type: 'phone' as const, value: '+79995554433' }],
			events: [{ type, channel: 'ozon', occurredAt: Date.now(), sourceKey: key, data: data as never }],
		});
		await stack.ingest(
			tenantId,
			order(
				'order.created',
				{
					source: 'ozon',
					orderId: 'P-1',
					number: '0001-1',
					status: 'created',
					rawStatus: 'awaiting_packaging',
					total: '1499.90',
					currency: 'RUB',
					items: [],
				},
				'ozon:P-1:created',
			),
			'ozon:P-1:created',
		);
		const { state } = stack.b24.portal();
		const deal = await eventually(() => state.crm.all(2).find((d) => d.fields.ORIGIN_ID === 'ozon:P-1'));
		expect(deal.fields.STAGE_ID).toBe('NEW');
		expect(deal.fields.CONTACT_IDS).toEqual([state.crm.all(3)[0]!.ID]);
		await stack.ingest(
			tenantId,
			order(
				'order.status_changed',
				{
					source: 'ozon',
					orderId: 'P-1',
					number: '0001-1',
					from: 'created',
					to: 'shipped',
					rawStatus: 'delivering',
				},
				'ozon:P-1:shipped',
			),
			'ozon:P-1:shipped',
		);
		await eventually(() => state.crm.get(2, deal.ID)?.fields.STAGE_ID === 'EXECUTING');
		expect(state.crm.all(2)).toHaveLength(1);
		await eventually(() => state.crm.logMessages.some((l) => l.title.startsWith('Order 0001-1')));
	});

	it('notices a contact deleted in Bitrix24 and drops the link', async () => {
		const contact = stack.b24.portal().state.crm.all(3)[0]!;
		await stack.b24.deleteContact(contact.ID);
		await eventually(async () => {
			const row = await stack.server.db
				.selectFrom('identities')
				.select('id')
				.where('type', '=', 'bitrix24_contact')
				.where('value', '=', String(contact.ID))
				.executeTakeFirst();
			return row === undefined;
		});
	});

	it('refuses ONAPPUNINSTALL with a wrong application_token, removes the tokens with the right one', async () => {
		const forged = await fetch(`${stack.server.url}/hosts/bitrix24/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: buildPhpQuery({
				event: 'ONAPPUNINSTALL',
				data: { CLEAN: 1 },
				auth: { member_id: memberId, application_token: 'wrong', domain: 'x' },
			}),
		});
		expect(forged.status).toBe(401);
		expect(
			(await stack.server.db.selectFrom('host_portals').select('status').executeTakeFirstOrThrow()).status,
		).toBe('active');

		await stack.b24.uninstallApp(APP_ID);
		await stack.b24.settled();
		const row = await stack.server.db.selectFrom('host_portals').selectAll().executeTakeFirstOrThrow();
		expect(row.status).toBe('uninstalled');
		const secrets = JSON.parse(stack.server.box.open(row.secrets, `host-portal:${tenantId}:secrets`));
		expect(secrets.tokens).toBeNull();
		const lines = await api(`${base()}/bitrix24/open-lines`, 'GET', session);
		expect(lines.status).toBe(409);
	});
});
