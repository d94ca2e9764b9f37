import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelStack, eventually, startChannelStack } from './stack.ts';

// A pressed button is answered (answerCallbackQuery / sendMessageEventAnswer / MAX /answers) through
// the outbox, once per press, so the user's client stops its spinner.
describe('button presses are acknowledged', () => {
	let stack: ChannelStack;

	beforeAll(async () => {
		stack = await startChannelStack({ public: true });
	});
	afterAll(async () => {
		await stack.close();
	});

	const ackJobs = async () =>
		await stack.server.db
			.selectFrom('outbox')
			.select(['status', 'payload'])
			.where('tenant_id', '=', stack.tenantId)
			.where('kind', '=', 'button.ack')
			.execute();

	it('Telegram: callback_query answered with its id, once, even when redelivered', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'telegram', token: stack.tg.token });
		expect(connected.status).toBe(201);
		const ivan = stack.tg.user({ id: 6_001, first_name: 'Ivan' });
		ivan.sendText('hello');
		// The bot's message with an inline keyboard (as any bot would send it).
		const sent = await fetch(`${stack.tg.url}/bot${stack.tg.token}/sendMessage`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				chat_id: 6_001,
				text: 'Pick one',
				reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'pick:a' }]] },
			}),
		});
		const messageId = ((await sent.json()) as { result: { message_id: number } }).result.message_id;
		const update = ivan.pressButton(messageId, 'pick:a');
		const queryId = update?.callback_query?.id ?? '';
		await eventually(() => stack.tg.bot().callbacks.get(queryId)?.answered === true);

		// A redelivered update enqueues no second answer (which Telegram would refuse as too old).
		const webhook = stack.tg.bot().webhook;
		const again = await fetch(webhook?.url ?? '', {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-telegram-bot-api-secret-token': webhook?.secretToken ?? '',
			},
			body: JSON.stringify(update),
		});
		expect(again.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const jobs = (await ackJobs()).filter((j) => j.payload.includes(queryId));
		expect(jobs).toEqual([expect.objectContaining({ status: 'done' })]);
	});

	it('VK: message_event answered with sendMessageEventAnswer (event id, user, peer)', async () => {
		const club = stack.vk.createCommunity({ name: 'Acks' });
		const connected = await stack.api('POST', '/connections', { channel: 'vk', token: club.token });
		expect(connected.status).toBe(201);
		await eventually(() => [...club.community.callbackServers.values()].some((s) => s.status === 'ok'));
		const petr = stack.vk.createUser({ first_name: 'Petr' });
		petr.write(club.id, 'hi');
		const eventId = petr.pressButton(club.id, { payload: { order: 5 } });
		const answer = await eventually(() => club.eventAnswers.find((a) => a.event_id === eventId));
		expect(answer).toMatchObject({ user_id: petr.id, peer_id: petr.id });
	});

	it('MAX: message_callback answered via /answers', async () => {
		const connected = await stack.api('POST', '/connections', { channel: 'max', token: stack.max.token });
		expect(connected.status).toBe(201);
		const user = stack.max.user({ user_id: 8_301, first_name: 'Lev' });
		const created = user.sendText('hi');
		const message = created.update_type === 'message_created' ? created.message : undefined;
		if (!message) throw new Error('no message');
		const pressed = user.pressButton(message, 'pick:b');
		const callbackId = pressed.update_type === 'message_callback' ? pressed.callback.callback_id : '';
		await eventually(() => stack.max.state.callbacks.get(callbackId)?.answered === true);
	});
});
