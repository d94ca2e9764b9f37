import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
beforeEach(async () => {
	ctx = await installedPortal({
		clock: createManualClock(Date.UTC(2024, 7, 15, 8, 38, 21)),
		limits: { burst: 10_000 },
	});
});
afterEach(async () => ctx.close());

describe('crm.product.* and crm.deal.productrows.* (journey 1)', () => {
	it('lists the default catalog by 50 with total/next, string values, filters and select', async () => {
		for (let i = 1; i <= 52; i += 1) {
			await ctx.call('crm.product.add', {
				fields: { NAME: `Чай ${String(i).padStart(2, '0')}`, PRICE: i * 10 },
			});
		}
		await ctx.call('crm.product.add', { fields: { NAME: 'Другой каталог', PRICE: 1, CATALOG_ID: 99 } });
		await ctx.call('crm.product.add', { fields: { NAME: 'Снят', PRICE: 1, ACTIVE: 'N' } });
		const first = await ctx.call('crm.product.list', { order: { NAME: 'ASC' }, filter: { ACTIVE: 'Y' } });
		expect(first.body).toMatchObject({ total: 52, next: 50 });
		const rows = first.body.result as Record<string, unknown>[];
		expect(rows).toHaveLength(50);
		expect(rows[0]).toMatchObject({
			ID: '1',
			NAME: 'Чай 01',
			PRICE: '10.00',
			CURRENCY_ID: 'RUB',
			ACTIVE: 'Y',
			CATALOG_ID: '25',
		});
		const last = await ctx.call('crm.product.list', {
			order: { NAME: 'ASC' },
			filter: { ACTIVE: 'Y' },
			start: 50,
		});
		expect(last.body.total).toBe(52);
		expect(last.body.next).toBeUndefined();
		const search = await ctx.call('crm.product.list', {
			filter: { '%NAME': 'чай 5' },
			select: ['ID', 'NAME'],
		});
		expect(search.body.result).toEqual([
			{ ID: '50', NAME: 'Чай 50' },
			{ ID: '51', NAME: 'Чай 51' },
			{ ID: '52', NAME: 'Чай 52' },
		]);
		const byIds = await ctx.call('crm.product.list', { filter: { ID: [2, 53] }, select: ['ID'] });
		expect(byIds.body.result).toEqual([{ ID: '2' }]);
		const other = await ctx.call('crm.product.list', { filter: { CATALOG_ID: 99 }, select: ['NAME'] });
		expect(other.body.result).toEqual([{ ID: '53', NAME: 'Другой каталог' }]);
		expect((await ctx.call('crm.product.get', { id: 999 })).body).toEqual({
			error: '',
			error_description: 'Not found',
		});
	});

	it('sets a deal’s rows (replacing them, names from the catalog) and recalculates the amount', async () => {
		await ctx.call('crm.product.add', { fields: { NAME: 'Пуэр', PRICE: 1990 } });
		const deal = (await ctx.call('crm.deal.add', { fields: { TITLE: 'x' } })).body.result as number;
		const set = await ctx.call('crm.deal.productrows.set', {
			id: deal,
			rows: [
				{ PRODUCT_ID: 1, PRICE: 1990, QUANTITY: 2 },
				{ PRODUCT_NAME: 'Коробка', PRICE: 50, QUANTITY: 1 },
			],
		});
		expect(set.body.result).toBe(true);
		const got = (await ctx.call('crm.deal.productrows.get', { id: deal })).body.result as Record<
			string,
			unknown
		>[];
		expect(got.map((r) => [r.OWNER_TYPE, r.PRODUCT_ID, r.PRODUCT_NAME, r.PRICE, r.QUANTITY])).toEqual([
			['D', 1, 'Пуэр', 1990, 2],
			['D', 0, 'Коробка', 50, 1],
		]);
		expect((await ctx.call('crm.deal.get', { id: deal })).body.result).toMatchObject({ OPPORTUNITY: '4030' });
		await ctx.call('crm.deal.productrows.set', {
			id: deal,
			rows: [{ PRODUCT_ID: 1, PRICE: 1990, QUANTITY: 1 }],
		});
		expect((await ctx.call('crm.deal.productrows.get', { id: deal })).body.result).toHaveLength(1);

		expect((await ctx.call('crm.deal.productrows.set', { id: 999, rows: [] })).body).toEqual({
			error: '',
			error_description: 'Not found',
		});
		expect((await ctx.call('crm.deal.productrows.get', {})).body).toEqual({
			error: '',
			error_description: 'The parameter id is invalid or not defined.',
		});
	});
});
