import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal, nitkaApp } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
beforeEach(async () => {
	ctx = await installedPortal({ clock: createManualClock(Date.UTC(2026, 2, 17, 14, 52, 41)) });
});
afterEach(async () => ctx.close());

const icon = { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C/svg%3E', COLOR: '#a6ffa3' };

async function connectLine() {
	await ctx.call('imconnector.register', {
		ID: 'NitkaTelegram',
		NAME: 'Nitka Telegram',
		ICON: icon,
		PLACEMENT_HANDLER: `${ctx.receiver.url}/settings/`,
	});
	await ctx.call('imconnector.activate', { CONNECTOR: 'nitkatelegram', LINE: 1, ACTIVE: 1 });
	await ctx.call('imconnector.connector.data.set', {
		CONNECTOR: 'nitkatelegram',
		LINE: 1,
		DATA: { ID: 'channel-123', URL: 'https://t.me/nitka', NAME: 'Nitka' },
	});
}

describe('event.bind and dispatch (research §6.2)', () => {
	it('binds, lists, unbinds and refuses bad handlers', async () => {
		const handler = `${ctx.receiver.url}/events/`;
		expect((await ctx.call('event.bind', { event: 'OnCrmContactAdd', handler })).body.result).toBe(true);
		expect((await ctx.call('event.bind', { event: 'OnCrmContactAdd', handler })).body).toMatchObject({
			error: 'ERROR_CORE',
		});
		expect((await ctx.call('event.bind', { event: 'OnNoSuchThing', handler })).body.error).toBe(
			'ERROR_EVENT_NOT_FOUND',
		);
		expect(
			(await ctx.call('event.bind', { event: 'OnCrmContactAdd', handler: 'http://localhost/x' })).body.error,
		).toBe('ERROR_WRONG_HANDLER_URL');
		expect((await ctx.call('event.get')).body.result).toEqual([
			{ event: 'ONCRMCONTACTADD', handler, auth_type: '0', offline: 0 },
		]);
		expect((await ctx.call('event.unbind', { event: 'OnCrmContactAdd', handler })).body.result).toEqual({
			count: 1,
		});
	});

	it('posts CRM events form-encoded with only FIELDS[ID], never retried, droppable', async () => {
		const handler = `${ctx.receiver.url}/events/`;
		await ctx.call('event.bind', { event: 'ONCRMDEALUPDATE', handler });
		await ctx.call('crm.deal.add', { fields: { TITLE: 'x' } });
		await ctx.call('crm.deal.update', { id: 1, fields: { TITLE: 'y' } });
		await ctx.emulator.settled();
		const [post] = ctx.receiver.posts('/events/');
		expect(post?.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(post?.request.rawBody).toMatch(
			/^event=ONCRMDEALUPDATE&event_handler_id=1&data%5BFIELDS%5D%5BID%5D=1&ts=\d+&auth%5Baccess_token%5D=/,
		);
		expect(post?.form).toMatchObject({
			event: 'ONCRMDEALUPDATE',
			data: { FIELDS: { ID: '1' } },
			auth: {
				expires_in: '3600',
				scope: expect.stringContaining('crm'),
				domain: ctx.emulator.portal().state.domain,
				member_id: ctx.installed.memberId,
				application_token: ctx.installed.applicationToken,
			},
		});
		expect(post?.form.auth).not.toHaveProperty('refresh_token');
		ctx.emulator.faults.add({ match: 'ONCRMDEALUPDATE', fault: { kind: 'drop' }, times: 1 });
		await ctx.call('crm.deal.update', { id: 1, fields: { TITLE: 'z' } });
		await ctx.emulator.settled();
		expect(ctx.receiver.posts('/events/')).toHaveLength(1);
		expect(ctx.emulator.events.deliveries.at(-1)).toMatchObject({ event: 'ONCRMDEALUPDATE', dropped: true });
	});

	it('fires ONCRMDEALMOVETOCATEGORY instead of ONCRMDEALUPDATE on a funnel change (research §4.4)', async () => {
		ctx.emulator
			.portal()
			.state.crm.categories.push({ id: 1, name: 'Wholesale', sort: 400, entityTypeId: 2, isDefault: 'N' });
		await ctx.call('event.bind', { event: 'ONCRMDEALUPDATE', handler: `${ctx.receiver.url}/update/` });
		await ctx.call('event.bind', { event: 'ONCRMDEALMOVETOCATEGORY', handler: `${ctx.receiver.url}/move/` });
		await ctx.call('crm.deal.add', { fields: {} });
		await ctx.call('crm.item.update', { entityTypeId: 2, id: 1, fields: { categoryId: 1 } });
		await ctx.emulator.settled();
		expect(ctx.receiver.posts('/update/')).toHaveLength(0);
		expect(ctx.receiver.posts('/move/')[0]?.form.data).toEqual({
			FIELDS: { ID: '1', CATEGORY_ID: '1', STAGE_ID: 'C1:NEW' },
		});
	});

	it('sends delete and merge events from portal users', async () => {
		await ctx.call('event.bind', { event: 'ONCRMCONTACTDELETE', handler: `${ctx.receiver.url}/delete/` });
		await ctx.call('event.bind', { event: 'ONCRMCONTACTUPDATE', handler: `${ctx.receiver.url}/update/` });
		await ctx.call('crm.contact.add', { fields: { NAME: 'A', PHONE: [{ VALUE: '+7001' }] } });
		await ctx.call('crm.contact.add', { fields: { EMAIL: [{ VALUE: 'a@example.ru' }] } });
		await ctx.call('crm.contact.add', { fields: { NAME: 'C' } });
		await ctx.emulator.mergeContacts(1, 2);
		await ctx.emulator.deleteContact(3);
		expect(ctx.receiver.posts('/update/').map((p) => p.form.data)).toEqual([{ FIELDS: { ID: '1' } }]);
		expect(ctx.receiver.posts('/delete/').map((p) => p.form.data)).toEqual([
			{ FIELDS: { ID: '2' } },
			{ FIELDS: { ID: '3' } },
		]);
		const kept = (await ctx.call('crm.contact.get', { id: 1 })).body.result;
		expect(kept).toMatchObject({ PHONE: [{ VALUE: '+7001' }], EMAIL: [{ VALUE: 'a@example.ru' }] });
	});

	it('stays silent for a UI app until installFinish (research §0.15)', async () => {
		ctx.emulator.defineApp(
			nitkaApp(ctx.receiver.url, {
				clientId: 'ui.app',
				clientSecret: 's',
				scope: 'crm',
				hasUi: true,
				installEventUrl: undefined,
			}),
		);
		const installed = await ctx.emulator.installApp('ui.app');
		await fetch(`${ctx.emulator.url}/rest/event.bind`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				auth: installed.auth.accessToken,
				event: 'ONCRMCONTACTADD',
				handler: `${ctx.receiver.url}/ui/`,
			}),
		});
		await ctx.call('crm.contact.add', { fields: {} });
		await ctx.emulator.settled();
		expect(ctx.receiver.posts('/ui/')).toHaveLength(0);
		ctx.emulator.finishInstall('ui.app');
		await ctx.call('crm.contact.add', { fields: {} });
		await ctx.emulator.settled();
		expect(ctx.receiver.posts('/ui/')).toHaveLength(1);
	});
});

describe('Open Lines connector (research §5)', () => {
	it('registers with errors inside an HTTP 200 result', async () => {
		const bad = await ctx.call('imconnector.register', {
			NAME: 'x',
			ICON: icon,
			PLACEMENT_HANDLER: 'https://a.b/',
		});
		expect(bad).toMatchObject({
			status: 200,
			body: { result: { result: false, error: 'CONNECTOR_ID_REQUIRED' } },
		});
		await connectLine();
		expect(
			(await ctx.call('imconnector.status', { CONNECTOR: 'nitkatelegram', LINE: 1 })).body.result,
		).toEqual({
			LINE: '1',
			CONNECTOR: 'nitkatelegram',
			ERROR: false,
			CONFIGURED: true,
			STATUS: true,
		});
		expect(
			(await ctx.call('imconnector.activate', { CONNECTOR: 'nitkatelegram', ACTIVE: 1 })).body,
		).toMatchObject({
			error: 'ERROR_ARGUMENT',
			error_description: "Argument 'LINE' is null or empty",
		});
		expect((await ctx.call('imopenlines.config.list.get')).body.result).toEqual([
			{ ID: '1', LINE_NAME: 'Open line', ACTIVE: 'Y', QUEUE: ['1'] },
		]);
	});

	it('accepts inbound messages, links a CRM contact by imol, and delivers operator replies', async () => {
		await connectLine();
		await ctx.call('event.bind', { event: 'OnImConnectorMessageAdd', handler: `${ctx.receiver.url}/ol/` });
		const sent = await ctx.call('imconnector.send.messages', {
			CONNECTOR: 'nitkatelegram',
			LINE: 1,
			MESSAGES: [
				{
					user: { id: 'ext-user-42', name: 'Ivan', last_name: 'Petrov' },
					message: { id: 'tg-1', date: 1773759000, text: 'Hello' },
					chat: { id: 'channel-123' },
				},
			],
		});
		const result = sent.body.result as { SUCCESS: boolean; DATA: { RESULT: Array<Record<string, unknown>> } };
		expect(result.SUCCESS).toBe(true);
		expect(result.DATA.RESULT[0]).toMatchObject({
			SUCCESS: true,
			user: expect.any(String),
			session: { ID: expect.any(String), CHAT_ID: expect.any(String) },
		});
		const imol = 'imol|nitkatelegram|1|channel-123|ext-user-42';
		const found = await ctx.call('crm.item.list', {
			entityTypeId: 3,
			filter: { '=imol': imol },
			select: ['id', 'name'],
		});
		expect(found.body.result).toEqual({ items: [{ id: 1, name: 'Ivan', entityTypeId: 3 }] });
		const tooLong = await ctx.call('imconnector.send.messages', {
			CONNECTOR: 'nitkatelegram',
			LINE: 1,
			MESSAGES: [{ user: { id: 'u', name: 'A'.repeat(26) }, message: { text: 'x' }, chat: { id: 'c' } }],
		});
		expect((tooLong.body.result as { SUCCESS: boolean }).SUCCESS).toBe(false);

		const reply = await ctx.emulator.replyAsOperator({
			connector: 'nitkatelegram',
			line: 1,
			chatId: 'channel-123',
			text: 'Guten Tag!',
			operatorId: 27,
		});
		const [post] = ctx.receiver.posts('/ol/');
		expect(post?.form).toMatchObject({
			event: 'ONIMCONNECTORMESSAGEADD',
			event_handler_id: '1',
			data: {
				CONNECTOR: 'nitkatelegram',
				LINE: '1',
				MESSAGES: [
					{
						im: { chat_id: String(reply.chatId), message_id: String(reply.messageId) },
						message: { user_id: '27', text: '[b]Klaus Weber:[/b] [br]Guten Tag!' },
						chat: { id: 'channel-123' },
					},
				],
			},
			auth: { user_id: '27', expires_in: '3600', application_token: ctx.installed.applicationToken },
		});
		const ack = await ctx.call('imconnector.send.status.delivery', {
			CONNECTOR: 'nitkatelegram',
			LINE: 1,
			MESSAGES: [
				{
					im: { chat_id: reply.chatId, message_id: reply.messageId },
					message: { id: ['tg-out-1'], date: 1773759161 },
					chat: { id: 'channel-123' },
				},
			],
		});
		expect(ack.body.result).toEqual({ SUCCESS: true, DATA: [] });
		expect(ctx.emulator.portal().state.messages.find((m) => m.messageId === reply.messageId)?.delivered).toBe(
			true,
		);
	});
});

describe('placements (research §6.1)', () => {
	it('binds, lists, unbinds, and posts the widget form to the handler', async () => {
		const handler = `${ctx.receiver.url}/tab/`;
		expect(
			(
				await ctx.call('placement.bind', {
					PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
					HANDLER: handler,
					TITLE: 'Nitka',
				})
			).body.result,
		).toBe(true);
		expect((await ctx.call('placement.bind', { PLACEMENT: 'DEFAULT', HANDLER: handler })).body.error).toBe(
			'PLACEMENT_NOT_FOUND',
		);
		expect((await ctx.call('placement.get')).body.result).toMatchObject([
			{ placement: 'CRM_CONTACT_DETAIL_TAB', handler, title: 'Nitka' },
		]);
		await ctx.emulator.openPlacement(ctx.installed.appId, 'CRM_CONTACT_DETAIL_TAB', { ID: '42' });
		const [post] = ctx.receiver.posts('/tab/');
		expect(post?.form).toMatchObject({
			PLACEMENT: 'CRM_CONTACT_DETAIL_TAB',
			PLACEMENT_OPTIONS: '{"ID":"42"}',
			AUTH_EXPIRES: '3600',
			member_id: ctx.installed.memberId,
		});
		expect(post?.request.query).toMatchObject({
			DOMAIN: ctx.emulator.portal().state.domain,
			PROTOCOL: '0',
			LANG: 'ru',
		});
		expect((await ctx.call('placement.unbind', { PLACEMENT: 'CRM_CONTACT_DETAIL_TAB' })).body.result).toEqual(
			{ count: 1 },
		);
	});
});
