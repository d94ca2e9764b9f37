import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTelegramTenant, startTestServer, type TestServer } from '../../support/server.ts';

/** A Telegram update as the Bot API documents it (message with text, from a private chat). */
const update = (updateId: number) => ({
	update_id: updateId,
	message: {
		message_id: updateId,
		date: 1_763_892_000 + updateId,
		chat: { id: 42, type: 'private', first_name: 'Анна' },
		from: { id: 42, is_bot: false, first_name: 'Анна' },
		text: 'late',
	},
});

describe('webhooks for a connection that is not active', () => {
	let t: TestServer;
	beforeAll(async () => {
		t = await startTestServer();
	});
	afterAll(async () => {
		await t?.stop();
	});

	const post = (connectionId: string, secret: string, updateId: number) =>
		fetch(`${t.url}/hooks/telegram/${connectionId}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
			body: JSON.stringify(update(updateId)),
		});
	// The secret is kept, so only the status refuses the delivery.
	const disconnect = (connectionId: string) =>
		t.server.db
			.updateTable('connections')
			.set({ status: 'disconnected' })
			.where('id', '=', connectionId)
			.execute();
	const stored = async (connectionId: string) =>
		(await t.server.db.selectFrom('inbox').select('id').where('connection_id', '=', connectionId).execute())
			.length;

	it('answers 404 and stores nothing', async () => {
		const seed = await seedTelegramTenant(t.server);
		await disconnect(seed.connection.id);
		const response = await post(seed.connection.id, seed.webhookSecret, 1);
		expect(response.status).toBe(404);
		expect(await stored(seed.connection.id)).toBe(0);
	});

	it('stops storing within the webhook-target cache time after a disconnect', async () => {
		const seed = await seedTelegramTenant(t.server);
		expect((await post(seed.connection.id, seed.webhookSecret, 1)).status).toBe(200);
		await disconnect(seed.connection.id);
		await new Promise((resolve) => setTimeout(resolve, 2_100));
		expect((await post(seed.connection.id, seed.webhookSecret, 2)).status).toBe(404);
		expect(await stored(seed.connection.id)).toBe(1);
	});
});
