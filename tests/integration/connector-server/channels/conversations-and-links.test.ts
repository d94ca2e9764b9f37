import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramClient } from '../../../../connector-server/src/channels/telegram/client.ts';
import { parseTelegramUpdate } from '../../../../connector-server/src/channels/telegram/parse-update.ts';
import { createVkClient } from '../../../../connector-server/src/channels/vk/client.ts';
import { parseVkEvent } from '../../../../connector-server/src/channels/vk/parse-event.ts';
import { createConversationReactor } from '../../../../connector-server/src/core/conversations/conversation-reactor.ts';
import {
	conversationOfCustomer,
	updateConversation,
} from '../../../../connector-server/src/core/conversations/conversation-repository.ts';
import { sendReply } from '../../../../connector-server/src/core/conversations/reply-service.ts';
import { ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import { linkReactor } from '../../../../connector-server/src/core/links/link-reactor.ts';
import { issueLinkToken } from '../../../../connector-server/src/core/links/link-tokens.ts';
import type { InboundParser } from '../../../../connector-server/src/core/ports/inbound.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { ManualClock } from '../../../support/manual-clock.ts';

const CONNECTION = '01JD0000000000000000000TG1';
const VK_CONNECTION = '01JD0000000000000000000VK1';

// Telegram's documented Update shape (core.telegram.org/bots/api#update).
const tgMessage = (updateId: number, text: string, fromId = 424_242) => ({
	update_id: updateId,
	message: {
		message_id: updateId,
		from: { id: fromId, is_bot: false, first_name: 'Anna', language_code: 'ru' },
		chat: { id: fromId, first_name: 'Anna', type: 'private' },
		date: 1_795_000_000,
		text,
	},
});
// VK Callback API 5.199 message_new (dev.vk.com/api/callback/getting-started).
const vkMessage = (eventId: string, text: string, ref?: string) => ({
	type: 'message_new',
	event_id: eventId,
	v: '5.199',
	group_id: 229_000_001,
	object: {
		message: {
			date: 1_795_000_100,
			from_id: 555_001,
			id: 17,
			out: 0,
			peer_id: 555_001,
			text,
			conversation_message_id: 9,
			attachments: [],
			important: false,
			is_hidden: false,
			fwd_messages: [],
			version: 10_000_123,
			...(ref ? { ref, ref_source: 'site' } : {}),
		},
		client_info: {
			button_actions: ['text'],
			keyboard: true,
			inline_keyboard: true,
			carousel: true,
			lang_id: 0,
		},
	},
});

describe.each(dialects)('conversations and deep links on %s', (dialect) => {
	let database: TestDatabase;
	const clock = new ManualClock();
	const reactors = [linkReactor, createConversationReactor(clock)];
	beforeAll(async () => {
		database = await createTestDatabase(dialect);
	});
	afterAll(async () => {
		await database?.drop();
	});

	async function ingest(
		tenantId: string,
		parser: InboundParser,
		payload: unknown,
		connectionId: string,
		settings = {},
	) {
		clock.advance(1_000);
		return await database.db.transaction().execute(async (tx) => {
			const results = [];
			for (const batch of parser(payload, { tenantId, connectionId, receivedAt: clock.now(), settings }))
				results.push(await ingestBatch(tx, tenantId, batch, clock.now(), reactors));
			return results;
		});
	}

	async function connect(tenantId: string, id: string, channel: string) {
		await database.db
			.insertInto('connections')
			.values({
				id,
				tenant_id: tenantId,
				channel,
				name: channel,
				status: 'active',
				credentials: 'sealed',
				webhook_secret: null,
				settings: '{}',
				last_error: null,
				created_at: clock.now(),
				updated_at: clock.now(),
			})
			.execute();
	}

	it('links a VK account to a known customer by a single-use token and keeps one conversation', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const [known] = await ingest(tenant.id, parseTelegramUpdate, tgMessage(1, 'hi'), CONNECTION, {
			botId: 7,
		});
		const token = await issueLinkToken(
			db,
			{ tenantId: tenant.id, customerId: known!.customerId, ttlSeconds: 600 },
			clock.now(),
		);
		const [linked] = await ingest(
			tenant.id,
			parseVkEvent,
			vkMessage('e1', 'by link', token.token),
			VK_CONNECTION,
			{
				groupId: 229_000_001,
			},
		);
		expect(linked!.customerId).not.toBe(known!.customerId);
		const conversation = await conversationOfCustomer(db, tenant.id, linked!.customerId);
		expect(conversation.customerId).toBe(known!.customerId);
		expect(conversation.chats.map((c) => c.channel).sort()).toEqual(['telegram', 'vk']);
		const all = await db
			.selectFrom('conversations')
			.select('id')
			.where('tenant_id', '=', tenant.id)
			.execute();
		expect(all).toHaveLength(1);
		const used = await db
			.selectFrom('link_tokens')
			.select(['used_at', 'used_by'])
			.where('tenant_id', '=', tenant.id)
			.executeTakeFirstOrThrow();
		expect(used.used_by).toBe('vk:555001');

		// A redelivery (same event_id) changes nothing; nor does a second use of the token.
		const again = await ingest(
			tenant.id,
			parseVkEvent,
			vkMessage('e1', 'by link', token.token),
			VK_CONNECTION,
			{
				groupId: 229_000_001,
			},
		);
		expect(again[0]!.stored).toHaveLength(0);
		const merges = await db.selectFrom('merges').select('id').where('tenant_id', '=', tenant.id).execute();
		expect(merges).toHaveLength(1);
	});

	it('ignores expired and unknown tokens', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		const [known] = await ingest(tenant.id, parseTelegramUpdate, tgMessage(1, 'hi', 1), CONNECTION);
		const token = await issueLinkToken(
			db,
			{ tenantId: tenant.id, customerId: known!.customerId, ttlSeconds: 60 },
			clock.now(),
		);
		clock.advance(61_000);
		const [late] = await ingest(
			tenant.id,
			parseTelegramUpdate,
			tgMessage(2, `/start ${token.token}`, 2),
			CONNECTION,
		);
		const [unknown] = await ingest(
			tenant.id,
			parseTelegramUpdate,
			tgMessage(3, '/start AAAAAAAAAAAAAAAAAAAAAAAA', 3),
			CONNECTION,
		);
		expect(late!.merged).toEqual([]);
		expect(unknown!.customerId).not.toBe(known!.customerId);
		expect(
			await db.selectFrom('merges').select('id').where('tenant_id', '=', tenant.id).execute(),
		).toHaveLength(0);
	});

	it('tracks status, first response and resolution; a resolved conversation reopens when the customer writes', async () => {
		const { db } = database;
		const tenant = await makeTenant(db);
		await connect(tenant.id, CONNECTION, 'telegram');
		const [first] = await ingest(
			tenant.id,
			parseTelegramUpdate,
			tgMessage(10, 'where is my order?', 9),
			CONNECTION,
		);
		clock.advance(30_000);
		const clients = {
			telegram: createTelegramClient('http://127.0.0.1:9'),
			vk: createVkClient('http://127.0.0.1:9'),
		};
		const reply = await sendReply(
			db,
			clients,
			{ tenantId: tenant.id, customerId: first!.customerId, request: { text: 'on its way' } },
			clock.now(),
		);
		expect(reply).toMatchObject({ channel: 'telegram', chatId: '9', parts: 1 });
		const jobs = await db
			.selectFrom('outbox')
			.select(['kind', 'target', 'dedupe_key'])
			.where('tenant_id', '=', tenant.id)
			.execute();
		expect(jobs).toEqual([
			{ kind: 'message.send', target: `telegram:${CONNECTION}:9`, dedupe_key: `reply:${reply.replyId}:0` },
		]);
		const answered = await conversationOfCustomer(db, tenant.id, first!.customerId);
		expect(answered.status).toBe('pending');
		expect(answered.firstResponseSeconds).toBe(30);

		// An idempotency key makes a retried API call a no-op.
		const keyed = { text: 'once', idempotencyKey: 'op-1' };
		await sendReply(
			db,
			clients,
			{ tenantId: tenant.id, customerId: first!.customerId, request: keyed },
			clock.now(),
		);
		const twice = await sendReply(
			db,
			clients,
			{ tenantId: tenant.id, customerId: first!.customerId, request: keyed },
			clock.now(),
		);
		expect(twice.eventId).toBeNull();
		expect(
			await db.selectFrom('outbox').select('id').where('tenant_id', '=', tenant.id).execute(),
		).toHaveLength(2);

		clock.advance(60_000);
		const resolved = await updateConversation(
			db,
			tenant.id,
			answered.id,
			{ status: 'resolved', assignee: 'op-7' },
			clock.now(),
		);
		expect(resolved).toMatchObject({ status: 'resolved', assignee: 'op-7' });
		expect(resolved.resolutionSeconds).toBeGreaterThan(0);
		await ingest(tenant.id, parseTelegramUpdate, tgMessage(11, 'one more thing', 9), CONNECTION);
		const reopened = await conversationOfCustomer(db, tenant.id, first!.customerId);
		expect(reopened).toMatchObject({
			status: 'open',
			firstResponseAt: null,
			resolvedAt: null,
			assignee: 'op-7',
		});
	});
});
