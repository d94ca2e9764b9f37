import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, api, type Bitrix24Stack, eventually, startBitrix24Stack } from './stack.ts';

// Rate-limit storms (503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT) and access tokens that
// expire mid-run: every message still lands once, one contact, one log entry per message.
describe('Bitrix24 under limits and expiring tokens', () => {
	let stack: Bitrix24Stack;
	let base: string;
	let session: string;

	beforeAll(async () => {
		stack = await startBitrix24Stack({ limits: { burst: 10, drainPerSecond: 20 } });
		await stack.b24.installApp(APP_ID);
		stack.b24.finishInstall(APP_ID);
		const frame = stack.b24.issueFrameAuth(APP_ID);
		const answer = await api<{ token: string; tenantId: string }>(
			`${stack.server.url}/api/v1/hosts/bitrix24/session`,
			'POST',
			undefined,
			{ domain: frame.domain, memberId: frame.memberId, accessToken: frame.accessToken },
		);
		session = answer.body.token;
		base = `${stack.server.url}/api/v1/tenants/${answer.body.tenantId}`;
		await api(`${base}/bitrix24/settings`, 'PUT', session, { openLineId: '1' });
		await api(`${base}/connections`, 'POST', session, { channel: 'telegram', token: stack.tg.token });
	});
	afterAll(async () => {
		await stack?.close();
	});

	it('loses nothing and duplicates nothing', async () => {
		const { faults, oauth } = stack.b24;
		faults.add({
			match: /^(imconnector\.send\.messages|crm\.timeline\.logmessage\.add)$/,
			fault: { kind: 'rate-limit' },
			times: 8,
		});
		faults.add({ match: 'crm.contact.add', fault: { kind: 'status', status: 429 }, times: 1 });
		faults.add({ match: 'imconnector.send.messages', fault: { kind: 'expired-token' }, times: 2 });
		// The stored access token really expires too: the next call refreshes once, under the lock.
		const row = await stack.server.db.selectFrom('host_portals').selectAll().executeTakeFirstOrThrow();
		const stored = JSON.parse(stack.server.box.open(row.secrets, `host-portal:${row.tenant_id}:secrets`));
		oauth.expireAccessToken(stored.tokens.accessToken);

		const boris = stack.tg.user({ id: 8_001, first_name: 'Boris' });
		const texts = Array.from({ length: 6 }, (_, i) => `message ${i + 1}`);
		for (const text of texts) boris.sendText(text);
		await stack.tg.webhookIdle();

		const { state } = stack.b24.portal();
		await eventually(
			() => texts.every((t) => state.messages.some((m) => m.direction === 'in' && m.text === t)),
			30_000,
		);
		await eventually(() => texts.every((t) => state.crm.logMessages.some((l) => l.text === t)), 30_000);
		for (const text of texts) {
			expect(state.messages.filter((m) => m.direction === 'in' && m.text === text)).toHaveLength(1);
			expect(state.crm.logMessages.filter((l) => l.text === text)).toHaveLength(1);
		}
		// In order, as the customer wrote them.
		expect(state.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(texts);
		expect(state.crm.all(3)).toHaveLength(1);
		const after = await stack.server.db
			.selectFrom('host_portals')
			.select('token_version')
			.executeTakeFirstOrThrow();
		expect(after.token_version).toBeGreaterThan(row.token_version);
		const dead = await stack.server.db
			.selectFrom('outbox')
			.select('kind')
			.where('status', '=', 'dead')
			.execute();
		expect(dead).toEqual([]);

		// A reply whose delivery receipt hits the limit is sent to Telegram once, confirmed later.
		faults.add({ match: 'imconnector.send.status.delivery', fault: { kind: 'rate-limit' }, times: 3 });
		const chat = state.chats[0]!;
		const reply = await stack.b24.replyAsOperator({
			connector: 'nitka',
			line: 1,
			chatId: chat.externalChatId,
			text: 'On its way',
		});
		await eventually(
			() => state.messages.find((m) => m.messageId === reply.messageId && m.delivered),
			30_000,
		);
		expect(boris.received.filter((m) => m.text?.endsWith('On its way'))).toHaveLength(1);
	});
});
