import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
beforeEach(async () => {
	// A big bucket: these tests are about data, the limiter has its own suite.
	ctx = await installedPortal({
		clock: createManualClock(Date.UTC(2024, 7, 15, 8, 38, 21)),
		limits: { burst: 10_000 },
	});
});
afterEach(async () => ctx.close());

describe('crm.contact.* (research §4.2)', () => {
	it('adds, gets with string numbers and ISO dates, and applies multifield update semantics', async () => {
		const add = await ctx.call('crm.contact.add', {
			fields: {
				NAME: 'Klaus',
				LAST_NAME: 'Weber',
				ORIGINATOR_ID: 'tg',
				ORIGIN_ID: '100500',
				PHONE: [{ VALUE: '+1333', VALUE_TYPE: 'WORK' }],
			},
			params: { REGISTER_SONET_EVENT: 'Y' },
		});
		expect(add.body.result).toBe(1);
		const got = (await ctx.call('crm.contact.get', { id: 1 })).body.result as Record<string, unknown> & {
			PHONE: Array<{ ID: string }>;
		};
		expect(got).toMatchObject({
			ID: '1',
			NAME: 'Klaus',
			LAST_NAME: 'Weber',
			HAS_PHONE: 'Y',
			HAS_EMAIL: 'N',
			HAS_IMOL: 'N',
			ASSIGNED_BY_ID: '1',
			DATE_CREATE: '2024-08-15T11:38:21+03:00',
			ORIGINATOR_ID: 'tg',
			ORIGIN_ID: '100500',
			PHONE: [{ VALUE_TYPE: 'WORK', VALUE: '+1333', TYPE_ID: 'PHONE' }],
		});
		const phoneId = got.PHONE[0]?.ID;
		await ctx.call('crm.contact.update', {
			id: 1,
			fields: { PHONE: [{ VALUE: '+7999', VALUE_TYPE: 'MOBILE' }] },
		});
		let phones = ((await ctx.call('crm.contact.get', { id: 1 })).body.result as { PHONE: unknown[] }).PHONE;
		expect(phones).toHaveLength(2);
		await ctx.call('crm.contact.update', { id: 1, fields: { PHONE: [{ ID: phoneId, DELETE: 'Y' }] } });
		phones = ((await ctx.call('crm.contact.get', { id: 1 })).body.result as { PHONE: unknown[] }).PHONE;
		expect(phones).toEqual([expect.objectContaining({ VALUE: '+7999' })]);
	});

	it('answers the old-style 400 errors', async () => {
		expect((await ctx.call('crm.contact.get', { id: 5 })).body).toEqual({
			error: '',
			error_description: 'Not found',
		});
		expect((await ctx.call('crm.contact.get', {})).body).toEqual({
			error: '',
			error_description: 'ID is not defined or invalid.',
		});
		expect((await ctx.call('crm.contact.update', { id: 5, fields: {} })).body).toEqual({
			error: '',
			error_description: 'Contact is not found',
		});
		expect((await ctx.call('crm.contact.add', { fields: { EMAIL: [{ VALUE: 'bad' }] } })).body.error).toBe(
			'ERROR_CORE',
		);
	});

	it('pages lists by 50 with total and next; filters; multifields only when selected', async () => {
		for (let i = 0; i < 120; i++)
			await ctx.call('crm.contact.add', {
				fields: { NAME: i % 2 ? 'Odd' : 'Even', PHONE: [{ VALUE: `+7000${i}` }] },
			});
		const first = await ctx.call('crm.contact.list', { filter: { NAME: 'Even' } });
		expect(first.body).toMatchObject({ total: 60, next: 50 });
		expect((first.body.result as Array<Record<string, unknown>>)[0]).not.toHaveProperty('PHONE');
		const last = await ctx.call('crm.contact.list', { filter: { NAME: 'Even' }, start: 50 });
		expect(last.body.total).toBe(60);
		expect(last.body).not.toHaveProperty('next');
		const fast = await ctx.call('crm.contact.list', {
			filter: { '>ID': 100 },
			order: { ID: 'ASC' },
			start: -1,
			select: ['ID', 'PHONE'],
		});
		expect(fast.body).not.toHaveProperty('total');
		expect(fast.body.result).toHaveLength(20);
		expect((fast.body.result as Array<{ PHONE: unknown[] }>)[0]?.PHONE).toHaveLength(1);
		const byPhone = await ctx.call('crm.contact.list', { filter: { PHONE: '+70007' } });
		expect(byPhone.body.result).toEqual([expect.objectContaining({ ID: '8' })]);
	});
});

describe('crm.deal.* and crm.item.* (research §4.4, §4.6)', () => {
	it('shares records between generations with their own naming and typing', async () => {
		await ctx.call('crm.contact.add', { fields: { NAME: 'A' } });
		const deal = await ctx.call('crm.deal.add', { fields: { CONTACT_IDS: [1], OPPORTUNITY: 1500 } });
		expect(deal.body.result).toBe(1);
		const old = (await ctx.call('crm.deal.get', { id: 1 })).body.result;
		expect(old).toMatchObject({
			ID: '1',
			TITLE: 'Deal #1',
			CATEGORY_ID: '0',
			STAGE_ID: 'NEW',
			CONTACT_ID: '1',
			OPPORTUNITY: '1500',
		});
		const item = (await ctx.call('crm.item.get', { entityTypeId: 2, id: 1 })).body.result as {
			item: Record<string, unknown>;
		};
		expect(item.item).toMatchObject({
			id: 1,
			title: 'Deal #1',
			categoryId: 0,
			stageId: 'NEW',
			contactIds: [1],
			opportunity: 1500,
			createdTime: '2024-08-15T11:38:21+03:00',
		});
		expect((await ctx.call('crm.item.get', { entityTypeId: 2, id: 9 })).body).toEqual({
			error: 'NOT_FOUND',
			error_description: 'Element not found',
		});
		expect((await ctx.call('crm.item.get', { entityTypeId: 1234, id: 1 })).body.error).toBe('NOT_FOUND');
	});

	it('applies fm rules: n-keys add, id edits, empty deletes, missing typeId is ignored', async () => {
		const added = await ctx.call('crm.item.add', {
			entityTypeId: 3,
			fields: { name: 'Petr', fm: [{ typeId: 'PHONE', valueType: 'WORK', value: '+79990000001' }] },
		});
		const item = (added.body.result as { item: { id: number; fm: Array<{ id: number }> } }).item;
		expect(item).toMatchObject({
			id: 1,
			name: 'Petr',
			fm: [{ typeId: 'PHONE', valueType: 'WORK', value: '+79990000001' }],
		});
		const fmId = item.fm[0]?.id ?? 0;
		await ctx.call('crm.item.update', { entityTypeId: 3, id: 1, fields: { fm: { [fmId]: { value: '' } } } });
		let fm = (
			(await ctx.call('crm.item.get', { entityTypeId: 3, id: 1 })).body.result as { item: { fm: unknown[] } }
		).item.fm;
		expect(fm).toHaveLength(1);
		await ctx.call('crm.item.update', {
			entityTypeId: 3,
			id: 1,
			fields: {
				fm: { [fmId]: { typeId: 'PHONE', value: '' }, n0: { typeId: 'EMAIL', value: 'p@example.ru' } },
			},
		});
		fm = (
			(await ctx.call('crm.item.get', { entityTypeId: 3, id: 1 })).body.result as { item: { fm: unknown[] } }
		).item.fm;
		expect(fm).toEqual([expect.objectContaining({ typeId: 'EMAIL', value: 'p@example.ru' })]);
		const list = await ctx.call('crm.item.list', {
			entityTypeId: 3,
			filter: { logic: 'OR', 0: { name: 'Nobody' }, 1: { '%name': 'et' } },
		});
		expect(list.body).toMatchObject({ result: { items: [{ id: 1 }] }, total: 1 });
	});

	it('finds duplicates by communication, ignoring phone extensions; [] when none (research §4.3)', async () => {
		await ctx.call('crm.contact.add', { fields: { PHONE: [{ VALUE: '+7 (999) 123-45-67' }] } });
		expect(
			(await ctx.call('crm.duplicate.findbycomm', { type: 'PHONE', values: ['+79991234567#404812'] })).body
				.result,
		).toEqual({ CONTACT: [1] });
		expect(
			(await ctx.call('crm.duplicate.findbycomm', { type: 'EMAIL', values: ['x@example.ru'] })).body.result,
		).toEqual([]);
		expect(
			(await ctx.call('crm.duplicate.findbycomm', { type: 'IM', values: ['x'] })).body.error_description,
		).toBe("Communication type 'IM' is not supported in current context.");
	});

	it('lists statuses and categories in the documented shape (research §4.5)', async () => {
		const statuses = await ctx.call('crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE' } });
		expect((statuses.body.result as unknown[])[0]).toEqual({
			ID: '101',
			ENTITY_ID: 'DEAL_STAGE',
			STATUS_ID: 'NEW',
			NAME: 'New',
			NAME_INIT: 'New',
			SORT: '10',
			SYSTEM: 'Y',
			CATEGORY_ID: '0',
			COLOR: '#39A8EF',
			SEMANTICS: null,
			EXTRA: { SEMANTICS: 'process', COLOR: '#39A8EF' },
		});
		expect(statuses.body.total).toBe(5);
		const categories = await ctx.call('crm.category.list', { entityTypeId: 2 });
		expect(categories.body.result).toEqual({
			categories: [{ id: 0, name: 'General', sort: 300, entityTypeId: 2, isDefault: 'Y' }],
		});
	});

	it('adds timeline comments, log messages and activities (research §4.7)', async () => {
		await ctx.call('crm.contact.add', { fields: { NAME: 'A' } });
		expect(
			(
				await ctx.call('crm.timeline.comment.add', {
					fields: { ENTITY_ID: 1, ENTITY_TYPE: 'contact', COMMENT: 'Hi' },
				})
			).body.result,
		).toBe(1);
		expect(
			(
				await ctx.call('crm.timeline.comment.add', {
					fields: { ENTITY_ID: 9, ENTITY_TYPE: 'contact', COMMENT: 'Hi' },
				})
			).body.error,
		).toBe('OWNER_NOT_FOUND');
		const log = await ctx.call('crm.timeline.logmessage.add', {
			fields: { entityTypeId: 3, entityId: 1, title: 'Ozon', text: 'Order #123 shipped', iconCode: 'info' },
		});
		expect(log.body.result).toEqual({
			logMessage: {
				id: 2,
				created: '2024-08-15T11:38:21+03:00',
				authorId: 1,
				title: 'Ozon',
				text: 'Order #123 shipped',
				iconCode: 'info',
			},
		});
		// .list: newest first by default, always 10 a page; order id asc turns it around.
		for (let i = 1; i <= 11; i++)
			await ctx.call('crm.timeline.logmessage.add', {
				fields: { entityTypeId: 3, entityId: 1, title: `Entry ${i}`, text: 'x', iconCode: 'info' },
			});
		const titles = (body: unknown) =>
			(body as { result: { logMessages: { title: string }[] } }).result.logMessages.map((m) => m.title);
		const first = await ctx.call('crm.timeline.logmessage.list', { entityTypeId: 3, entityId: 1 });
		expect(titles(first.body)).toHaveLength(10);
		expect(titles(first.body)[0]).toBe('Entry 11');
		expect(first.body).toMatchObject({ total: 12, next: 10 });
		const second = await ctx.call('crm.timeline.logmessage.list', {
			entityTypeId: 3,
			entityId: 1,
			start: 10,
		});
		expect(titles(second.body)).toEqual(['Entry 1', 'Ozon']);
		const oldest = await ctx.call('crm.timeline.logmessage.list', {
			entityTypeId: 3,
			entityId: 1,
			order: { id: 'asc' },
		});
		expect(titles(oldest.body)[0]).toBe('Ozon');
		const activity = await ctx.call('crm.activity.add', {
			fields: {
				OWNER_ID: 1,
				OWNER_TYPE_ID: 3,
				TYPE_ID: 4,
				SUBJECT: 'Call',
				RESPONSIBLE_ID: 1,
				COMMUNICATIONS: [{ VALUE: '+7999', ENTITY_ID: 1, ENTITY_TYPE_ID: 3 }],
			},
		});
		expect(activity.body.result).toBe(1);
		expect((await ctx.call('crm.activity.add', { fields: { OWNER_ID: 1 } })).status).toBe(400);
		expect((await ctx.call('crm.activity.list', { filter: { OWNER_ID: 1 } })).body).toMatchObject({
			result: [{ ID: '1', SUBJECT: 'Call' }],
			total: 1,
		});
	});
});
