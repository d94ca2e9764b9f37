import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
beforeEach(async () => {
	ctx = await installedPortal({ clock: createManualClock() });
});
afterEach(async () => ctx.close());

type BatchBody = { result: Record<string, unknown>; time: Record<string, unknown> };

describe('batch (research §2.4)', () => {
	it('accepts the documented request and substitutes $result references', async () => {
		const { status, body } = await ctx.call('batch', {
			halt: 0,
			cmd: {
				add: 'crm.contact.add?fields%5BNAME%5D=Anna&fields%5BEMAIL%5D%5B0%5D%5BVALUE%5D=a%40example.ru',
				get: 'crm.contact.get?id=$result[add]',
				list: 'crm.contact.list?filter%5BID%5D=$result[add]&select%5B%5D=ID&select%5B%5D=NAME',
				title:
					'crm.deal.add?fields%5BTITLE%5D=For%20$result[get][NAME]&fields%5BCONTACT_IDS%5D%5B0%5D=$result[list][0][ID]',
			},
		});
		expect(status).toBe(200);
		const batch = (body as BatchBody).result;
		expect(Object.keys(batch)).toEqual([
			'result',
			'result_error',
			'result_total',
			'result_next',
			'result_time',
		]);
		expect(batch.result).toMatchObject({
			add: 1,
			get: { ID: '1', NAME: 'Anna' },
			list: [{ ID: '1', NAME: 'Anna' }],
			title: 1,
		});
		expect(batch.result_error).toEqual([]);
		expect(batch.result_total).toEqual({ list: 1 });
		expect(batch.result_next).toEqual([]);
		expect(Object.keys(batch.result_time as object)).toEqual(['add', 'get', 'list', 'title']);
		const deal = await ctx.call('crm.deal.get', { id: 1 });
		expect(deal.body.result).toMatchObject({ TITLE: 'For Anna', CONTACT_ID: '1' });
	});

	it('lists every command in result or result_error when halt=0; stops at the first error with halt=1', async () => {
		const cmd = { a: 'crm.contact.get?id=999', b: 'profile', c: 'no.such' };
		const soft = ((await ctx.call('batch', { halt: 0, cmd })).body as BatchBody).result;
		expect(Object.keys(soft.result as object)).toEqual(['b']);
		expect(soft.result_error).toEqual({
			a: { error: '', error_description: 'Not found' },
			c: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
		});
		const hard = ((await ctx.call('batch', { halt: 1, cmd })).body as BatchBody).result;
		expect(hard.result).toEqual([]);
		expect(Object.keys(hard.result_error as object)).toEqual(['a']);
	});

	it('serialises list-shaped cmd results as PHP lists, caps at 50 and refuses nested batch', async () => {
		const cmd = Array.from({ length: 52 }, () => 'profile');
		cmd[1] = 'batch?cmd%5Ba%5D=profile';
		const answer = ((await ctx.call('batch', { cmd })).body as BatchBody).result;
		const errors = answer.result_error as Record<string, { error: string }>;
		expect(errors['1']?.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
		expect(errors['50']?.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
		expect(errors['51']?.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
		expect(Object.keys(answer.result as object)).toHaveLength(49);
		const list = ((await ctx.call('batch', { cmd: ['profile', 'profile'] })).body as BatchBody).result;
		expect(Array.isArray(list.result)).toBe(true);
	});

	it('reports nested limit errors inside result_error', async () => {
		ctx.emulator.faults.add({ match: 'crm.deal.list', fault: { kind: 'rate-limit' }, times: 1 });
		const answer = (
			(await ctx.call('batch', { cmd: { a: 'crm.deal.list', b: 'crm.contact.list' } })).body as BatchBody
		).result;
		expect(answer.result_error).toEqual({
			a: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		});
		expect(answer.result_total).toEqual({ b: 0 });
	});
});
