import { describe, expect, it } from 'vitest';
import type { StoredHostEvent } from '../../../../../connector-server/src/core/ports/host-intake.ts';
import { returnIntent } from '../../../../../connector-server/src/core/returns/texts.ts';
import {
	bbPlain,
	RETURN_JOB,
	returnEventJobs,
	returnJobs,
} from '../../../../../connector-server/src/hosts/bitrix24/returns.ts';
import { mapReturnEvents } from '../../../../../connector-server/src/hosts/woocommerce/returns.ts';

const stored = (type: string, sourceKey: string, data: Record<string, unknown>): StoredHostEvent =>
	({
		tenantId: 't',
		customerId: 'c',
		eventId: 'e',
		event: { type, channel: 'nitka', occurredAt: 0, sourceKey, data },
	}) as StoredHostEvent;

describe('journey 3 pieces', () => {
	it('reads the customer’s intent: the command, the words, the buttons; edits and other buttons are nothing', () => {
		for (const text of [
			'/return',
			'/return@shop_bot',
			'Вернуть товар',
			'возврат',
			'Возврат товара!',
			'return',
		])
			expect(returnIntent({ text })).toEqual({ kind: 'start' });
		expect(returnIntent({ buttonData: 'return' })).toEqual({ kind: 'start' });
		expect(returnIntent({ buttonData: 'return:order:01ABC' })).toEqual({ kind: 'order', orderId: '01ABC' });
		expect(returnIntent({ buttonData: 'return:order:none' })).toEqual({ kind: 'order', orderId: null });
		expect(returnIntent({ buttonData: 'card' })).toBeNull();
		expect(returnIntent({ text: 'хочу вернуть деньги' })).toEqual({
			kind: 'text',
			text: 'хочу вернуть деньги',
		});
		expect(returnIntent({ text: '/return', editOf: 'm1' })).toBeNull();
		expect(returnIntent({ text: '   ' })).toBeNull();
	});

	it('keeps BB code out of Bitrix24 fields', () => {
		expect(bbPlain('[URL=https://evil]click[/URL] [b]x[/b]')).toBe('(URL=https://evil)click(/URL) (b)x(/b)');
	});

	it('Bitrix24: a request makes a ticket job, a counter receipt of a return closes it; other pos.returns nothing', () => {
		expect(returnJobs(stored('return.requested', 'return:requested:x', { returnId: 'R1' }))).toEqual([
			expect.objectContaining({ kind: RETURN_JOB.ticket, payload: { returnId: 'R1' } }),
		]);
		expect(returnJobs(stored('pos.return', 'pos:return:R1', {}))).toEqual([
			expect.objectContaining({ kind: RETURN_JOB.received, payload: { returnId: 'R1' } }),
		]);
		expect(returnJobs(stored('pos.return', 'pos:dev:action', {}))).toEqual([]);
	});

	it('Bitrix24: task and deal updates become check jobs keyed by the event time', () => {
		const auth = { member_id: 'm', application_token: 'a', domain: 'd' };
		const task = returnEventJobs(
			{ event: 'ONTASKUPDATE', ts: '100', data: { FIELDS_AFTER: { ID: '12' } }, auth },
			() => 0,
		);
		expect(task?.jobs[0]).toMatchObject({ kind: RETURN_JOB.check, payload: { ticketId: 'task:12' } });
		const deal = returnEventJobs(
			{ event: 'ONCRMDEALUPDATE', ts: '100', data: { FIELDS: { ID: '7' } }, auth },
			() => 0,
		);
		expect(deal?.jobs[0]?.dedupeKey).toBe('b24:return:check:deal:7:100');
		expect(returnEventJobs({ event: 'ONTASKUPDATE', data: {}, auth }, () => 0)).toBeNull();
		expect(
			returnEventJobs({ event: 'ONCRMLEADUPDATE', data: { FIELDS: { ID: '7' } }, auth }, () => 0),
		).toBeNull();
	});

	it('WooCommerce: only returns of WooCommerce orders, each step once', () => {
		const jobs = mapReturnEvents([
			stored('return.requested', 'a', { returnId: 'R1', orderSource: 'woocommerce' }),
			stored('return.approved', 'b', { returnId: 'R1', orderSource: 'woocommerce' }),
			stored('return.rejected', 'b2', { returnId: 'R3', orderSource: 'woocommerce' }),
			stored('return.requested', 'c', { returnId: 'R2', orderSource: 'ozon' }),
			stored('order.status_changed', 'return:received:R1:order', { source: 'woocommerce', to: 'returned' }),
			stored('order.status_changed', 'pos:d:a:order', { source: 'woocommerce', to: 'delivered' }),
		]);
		expect(jobs.map((j) => j.dedupeKey)).toEqual([
			'woocommerce:return:R1:requested',
			'woocommerce:return:R1:approved',
			'woocommerce:return:R3:rejected',
			'woocommerce:return:R1:received',
		]);
	});
});
