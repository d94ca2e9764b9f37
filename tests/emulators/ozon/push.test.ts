import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../marketplace-common/manual-clock.ts';
import { answerJson, startTestReceiver } from '../marketplace-common/test-receiver.ts';
import { type OzonEmulator, startOzonEmulator } from './index.ts';

type Receiver = Awaited<ReturnType<typeof startTestReceiver>>;

let emu: OzonEmulator;
let receiver: Receiver;
afterEach(async () => {
	await emu.close();
	await receiver.close();
});

const pingAnswer = { version: '1.0.0', name: 'nitka', time: '2026-11-02T09:00:00Z' };
/** A receiver that honours the contract: ping → version/name/time, event → {"result": true}. */
const goodReceiver = () =>
	startTestReceiver((push, res) => {
		const type = (push.body as { message_type: string }).message_type;
		answerJson(res, 200, type === 'TYPE_PING' ? pingAnswer : { result: true });
	});

describe('Ozon push notifications (research §5.5)', () => {
	it('registers with a TYPE_PING {message_type, time} and sends TYPE_NEW_POSTING in the documented shape', async () => {
		emu = await startOzonEmulator({ sellerId: 15 });
		receiver = await goodReceiver();
		const ping = await emu.push.register(receiver.url);
		expect(ping).toMatchObject({ verdict: 'OK', metContract: true, metDeadline: true });
		expect(Object.keys(receiver.received[0]!.body as object).sort()).toEqual(['message_type', 'time']);

		const posting = emu.seller.createPosting({
			products: [{ sku: 147451959, quantity: 2 }],
			inProcessAt: '2021-01-26T06:56:36.294Z',
			warehouseId: 18850503335000,
		});
		await emu.push.idle();
		expect(receiver.received[1]!.body).toEqual({
			message_type: 'TYPE_NEW_POSTING',
			posting_number: posting.posting_number,
			products: [{ sku: 147451959, quantity: 2 }],
			in_process_at: '2021-01-26T06:56:36.294Z',
			warehouse_id: 18850503335000,
			seller_id: 15,
		});
		expect(emu.push.deliveries.every((d) => d.verdict === 'OK')).toBe(true);
	});

	it('sends TYPE_STATE_CHANGED and TYPE_POSTING_CANCELLED with old_state/new_state/reason', async () => {
		emu = await startOzonEmulator();
		receiver = await goodReceiver();
		await emu.push.register(receiver.url);
		const p = emu.seller.createPosting();
		emu.seller.move(p.posting_number, 'awaiting_deliver');
		emu.seller.move(p.posting_number, 'cancelled', { id: 352, message: 'Товар закончился' });
		await emu.push.idle();
		const bodies = receiver.received.map((r) => r.body as Record<string, unknown>);
		expect(bodies.map((b) => b.message_type)).toEqual([
			'TYPE_PING',
			'TYPE_NEW_POSTING',
			'TYPE_STATE_CHANGED',
			'TYPE_POSTING_CANCELLED',
		]);
		expect(bodies[2]).toMatchObject({ posting_number: p.posting_number, new_state: 'awaiting_deliver' });
		expect(bodies[3]).toMatchObject({
			old_state: 'awaiting_deliver',
			new_state: 'cancelled',
			reason: { id: 352, message: 'Товар закончился' },
		});
		expect(typeof bodies[3]!.changed_state_date).toBe('string');
	});

	it('FBO postings produce no push (TYPE_NEW_POSTING is FBS/rFBS only)', async () => {
		emu = await startOzonEmulator();
		receiver = await goodReceiver();
		await emu.push.register(receiver.url);
		emu.seller.createPosting({ scheme: 'FBO' });
		await emu.push.idle();
		expect(receiver.received).toHaveLength(1);
	});

	it('refuses a URL whose ping answer lacks version/name/time', async () => {
		emu = await startOzonEmulator();
		receiver = await startTestReceiver((_push, res) => answerJson(res, 200, { result: true }));
		const ping = await emu.push.register(receiver.url);
		expect(ping).toMatchObject({ verdict: 'INVALID_BODY', metContract: false });
		expect(emu.push.url).toBeUndefined();
	});

	it('flags receivers that answer wrongly: bad result field, empty body, non-200', async () => {
		emu = await startOzonEmulator();
		let mode = 'ping';
		receiver = await startTestReceiver((_push, res) => {
			if (mode === 'ping') return answerJson(res, 200, pingAnswer);
			if (mode === 'wrong') return answerJson(res, 200, { result: 'ok' });
			if (mode === 'empty') {
				res.writeHead(200);
				return res.end();
			}
			answerJson(res, 500, { error: { code: 'ERROR_UNKNOWN', message: 'boom', details: null } });
		});
		await emu.push.register(receiver.url);
		const p = emu.seller.createPosting({ notify: false });
		const verdicts: string[] = [];
		for (const m of ['wrong', 'empty', 'fail']) {
			mode = m;
			const d = await emu.push.send({ message_type: 'TYPE_STATE_CHANGED', posting_number: p.posting_number });
			verdicts.push(d!.verdict);
		}
		expect(verdicts).toEqual(['WRONG_RESULT_FIELD', 'EMPTY_BODY', 'SERVER_FAULT']);
		mode = 'ping';
		// Redelivery retries the failed events; this receiver now answers with a ping body, still wrong for events.
		const retried = await emu.push.redeliverFailed();
		expect(retried.map((d) => d.attempt)).toEqual([2, 2, 2]);
	});

	it('flags and suspends a receiver that answers after the 5 s deadline (injectable clock)', async () => {
		const clock = new ManualClock();
		emu = await startOzonEmulator({ clock });
		receiver = await startTestReceiver((push, res) => {
			const type = (push.body as { message_type: string }).message_type;
			if (type === 'TYPE_PING') return answerJson(res, 200, pingAnswer);
			clock.advance(5_001); // "took" just over five seconds
			answerJson(res, 200, { result: true });
		});
		await emu.push.register(receiver.url);
		const late = await emu.push.send({ message_type: 'TYPE_NEW_POSTING', posting_number: '1-1-1' });
		expect(late).toMatchObject({ verdict: 'REQUEST_TIMEOUT', metDeadline: false, elapsedMs: 5_001 });
		expect(emu.push.suspendedReason).toMatch(/5001 ms/);
		expect(
			await emu.push.send({ message_type: 'TYPE_NEW_POSTING', posting_number: '1-1-2' }),
		).toBeUndefined();
	});

	it('aborts a receiver that never answers within a configured deadline (real time)', async () => {
		emu = await startOzonEmulator({ push: { deadlineMs: 100 } });
		receiver = await startTestReceiver((push, res) => {
			const type = (push.body as { message_type: string }).message_type;
			if (type === 'TYPE_PING') return answerJson(res, 200, pingAnswer);
			setTimeout(() => answerJson(res, 200, { result: true }), 400);
		});
		await emu.push.register(receiver.url);
		const late = await emu.push.send({ message_type: 'TYPE_NEW_POSTING', posting_number: '1-1-1' });
		expect(late).toMatchObject({ verdict: 'REQUEST_TIMEOUT', metDeadline: false });
	});

	it('suspends when fewer than half of the pushes are answered OK', async () => {
		emu = await startOzonEmulator({ push: { minSample: 4 } });
		let n = 0;
		receiver = await startTestReceiver((push, res) => {
			const type = (push.body as { message_type: string }).message_type;
			if (type === 'TYPE_PING') return answerJson(res, 200, pingAnswer);
			n += 1;
			answerJson(res, n === 1 ? 200 : 400, { result: true });
		});
		await emu.push.register(receiver.url);
		for (let i = 0; i < 4; i++)
			await emu.push.send({ message_type: 'TYPE_STATE_CHANGED', posting_number: `x-${i}` });
		expect(emu.push.suspendedReason).toBe('only 1 of 4 pushes answered OK');
	});
});
