import { PROMO_CODE_ALPHABET } from '@nitka/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../../connector-server/src/core/clock.ts';
import { createConversationReactor } from '../../../../connector-server/src/core/conversations/conversation-reactor.ts';
import { upsertChat } from '../../../../connector-server/src/core/conversations/conversation-repository.ts';
import { recordConsent } from '../../../../connector-server/src/core/customers/consents.ts';
import { ConflictError } from '../../../../connector-server/src/core/errors.ts';
import { resolveCustomer } from '../../../../connector-server/src/core/identity/identity-graph.ts';
import { type EventReactor, ingestBatch } from '../../../../connector-server/src/core/ingest/ingest.ts';
import type { InboundBatch } from '../../../../connector-server/src/core/ports/inbound.ts';
import {
	createCampaign,
	previewAudience,
	updateCampaign,
} from '../../../../connector-server/src/core/promos/campaigns.ts';
import { issueToSegment, type PromoDeps } from '../../../../connector-server/src/core/promos/issue.ts';
import {
	createPromoReactor,
	enqueueDueThankYous,
	FOLLOW_UP_JOB_KIND,
	sendThankYou,
} from '../../../../connector-server/src/core/promos/promo-reactor.ts';
import { createPromoRuntime } from '../../../../connector-server/src/core/promos/runtime.ts';
import { createConnection } from '../../../../connector-server/src/core/tenants/connections.ts';
import type { Db } from '../../../../connector-server/src/db/database.ts';
import { SecretBox } from '../../../../connector-server/src/security/secret-box.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../../support/databases.ts';
import { makeTenant } from '../../../support/fixtures.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const CODE = new RegExp(`^VK[${PROMO_CODE_ALPHABET}]{8}$`);

describe.each(dialects)('promo campaigns: segment, consent, issuing (%s)', (dialect) => {
	let database: TestDatabase;
	let db: Db;
	let now = T0;
	const clock: Clock = { now: () => now };
	const box = new SecretBox(Buffer.alloc(32, 7));
	let tenantA: string;
	let tenantB: string;
	let vkA: string;
	let tgA: string;
	const people = {} as Record<
		'anna' | 'boris' | 'vera' | 'gleb' | 'denis' | 'zoya' | 'dina' | 'other',
		string
	>;
	let reactors: EventReactor[] = [];
	const deps: PromoDeps = {
		clock,
		reactors: () => reactors,
		durable: async () => undefined,
		committed: () => undefined,
		// VK's group chats (peer ids from 2·10⁹) are nobody's private chat.
		privateChat: (channel, chatId) => !(channel === 'vk' && Number(chatId) >= 2_000_000_000),
	};
	const promoReactor = createPromoReactor(deps);

	async function person(
		tenantId: string,
		name: string,
		identity: { type: 'vk' | 'telegram'; value: string },
		options: {
			consent?: 'given' | 'withdrawn' | 'given-then-withdrawn';
			chat?: string;
			chatId?: string;
			reachable?: boolean;
		},
	) {
		const { customerId } = await resolveCustomer(db, {
			tenantId,
			identifiers: [{ ...identity, verified: true }],
			source: identity.type,
			profile: { name, source: 'messenger' },
			at: T0 - 10 * DAY,
		});
		const consent = (type: 'consent.given' | 'consent.withdrawn', at: number) =>
			recordConsent(db, tenantId, customerId, type, { purpose: 'marketing', source: 'test' }, at);
		if (options.consent === 'given') await consent('consent.given', T0 - 5 * DAY);
		if (options.consent === 'withdrawn') await consent('consent.withdrawn', T0 - 5 * DAY);
		if (options.consent === 'given-then-withdrawn') {
			await consent('consent.given', T0 - 5 * DAY);
			await consent('consent.withdrawn', T0 - 2 * DAY);
		}
		if (options.chat) {
			await upsertChat(db, {
				tenantId,
				customerId,
				channel: identity.type,
				connectionId: options.chat,
				chatId: options.chatId ?? identity.value,
				at: T0 - DAY,
				reachable: options.reachable ?? true,
			});
		}
		return customerId;
	}

	async function codesOf(campaignId: string) {
		return await db
			.selectFrom('promo_codes')
			.selectAll()
			.where('campaign_id', '=', campaignId)
			.orderBy('customer_id')
			.execute();
	}
	async function eventsOf(tenantId: string, type: string) {
		return await db
			.selectFrom('events')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('type', '=', type)
			.orderBy('id')
			.execute();
	}
	async function sendJobs(tenantId: string) {
		return await db
			.selectFrom('outbox')
			.selectAll()
			.where('tenant_id', '=', tenantId)
			.where('kind', '=', 'message.send')
			.orderBy('id')
			.execute();
	}

	beforeAll(async () => {
		database = await createTestDatabase(dialect);
		db = database.db;
		tenantA = (await makeTenant(db)).id;
		tenantB = (await makeTenant(db)).id;
		const vk = (tenantId: string) =>
			createConnection(
				db,
				box,
				{ tenantId, channel: 'vk', name: 'Club', credentials: { token: 't' }, settings: { groupId: 1 } },
				T0 - 20 * DAY,
			);
		vkA = (await vk(tenantA)).id;
		const vkB = (await vk(tenantB)).id;
		tgA = (
			await createConnection(
				db,
				box,
				{ tenantId: tenantA, channel: 'telegram', name: '@bot', credentials: { token: 'x' } },
				T0 - 20 * DAY,
			)
		).id;
		people.anna = await person(
			tenantA,
			'Анна Петрова',
			{ type: 'vk', value: '101' },
			{ consent: 'given', chat: vkA },
		);
		people.boris = await person(tenantA, 'Борис', { type: 'vk', value: '102' }, { chat: vkA });
		people.vera = await person(
			tenantA,
			'Вера',
			{ type: 'vk', value: '103' },
			{ consent: 'given-then-withdrawn', chat: vkA },
		);
		people.gleb = await person(tenantA, 'Глеб', { type: 'vk', value: '104' }, { consent: 'given' });
		people.denis = await person(
			tenantA,
			'Денис',
			{ type: 'vk', value: '105' },
			{ consent: 'given', chat: vkA, reachable: false },
		);
		// She only ever wrote in a group chat of the community: never sent a personal code there.
		people.zoya = await person(
			tenantA,
			'Зоя',
			{ type: 'vk', value: '106' },
			{ consent: 'given', chat: vkA, chatId: '2000000007' },
		);
		people.dina = await person(
			tenantA,
			'Дина',
			{ type: 'telegram', value: '201' },
			{ consent: 'given', chat: tgA },
		);
		people.other = await person(
			tenantB,
			'Чужой',
			{ type: 'vk', value: '101' },
			{ consent: 'given', chat: vkB },
		);
		reactors = [createConversationReactor(clock), promoReactor];
	});
	afterAll(async () => {
		await database.drop();
	});

	const campaignInput = {
		name: 'Осень',
		offer: '−15% на всё',
		codePrefix: 'VK',
		codeLength: 8,
		channels: ['vk' as const],
		expiresAt: new Date(T0 + 30 * DAY).toISOString(),
	};

	it('counts only customers with a VK identity and a current marketing consent', async () => {
		const campaign = await createCampaign(db, tenantA, campaignInput, now);
		expect(campaign).toMatchObject({ status: 'active', channels: ['vk'], codes: { issued: 0, redeemed: 0 } });
		const audience = await previewAudience(db, tenantA, campaign.id, deps.privateChat);
		// Anna, Gleb (no chat), Denis (denied messages), Zoya (a group chat only) consent; Boris never
		// did, Vera withdrew.
		expect(audience).toEqual({ audience: 4, reachable: 1, alreadyIssued: 0, withoutConsent: 2 });
	});

	it('issues one code per consenting customer, messages only open chats, and is idempotent', async () => {
		const campaign = await createCampaign(db, tenantA, { ...campaignInput, name: 'Зима' }, now);
		const first = await issueToSegment(db, deps, tenantA, campaign.id);
		expect(first).toEqual({ issued: 4, alreadyIssued: 0, messaged: 1, unreachable: 3 });
		const codes = await codesOf(campaign.id);
		expect(codes.map((c) => c.customer_id).sort()).toEqual(
			[people.anna, people.denis, people.gleb, people.zoya].sort(),
		);
		for (const code of codes) {
			expect(code.code).toMatch(CODE);
			expect(code.source).toBe('segment');
			expect(Number(code.expires_at)).toBe(T0 + 30 * DAY);
		}
		expect(new Set(codes.map((c) => c.code)).size).toBe(4);
		const issued = (await eventsOf(tenantA, 'promo.issued')).filter((e) => e.data.includes('Зима'));
		expect(issued.map((e) => e.customer_id).sort()).toEqual(
			[people.anna, people.denis, people.gleb, people.zoya].sort(),
		);
		const annaCode = codes.find((c) => c.customer_id === people.anna)?.code ?? '';
		const jobs = (await sendJobs(tenantA)).filter((j) => j.payload.includes(annaCode));
		expect(jobs).toHaveLength(1);
		expect(JSON.parse(jobs[0]?.payload ?? '{}')).toMatchObject({
			channel: 'vk',
			connectionId: vkA,
			chatId: '101',
			buttons: [{ text: 'Отписаться от предложений', data: 'promo:stop' }],
		});
		expect(jobs[0]?.payload).toContain('−15% на всё');

		const eventsBefore = (await eventsOf(tenantA, 'promo.issued')).length;
		const jobsBefore = (await sendJobs(tenantA)).length;
		const again = await issueToSegment(db, deps, tenantA, campaign.id);
		expect(again).toEqual({ issued: 0, alreadyIssued: 4, messaged: 0, unreachable: 0 });
		expect(await codesOf(campaign.id)).toHaveLength(4);
		expect(await eventsOf(tenantA, 'promo.issued')).toHaveLength(eventsBefore);
		expect(await sendJobs(tenantA)).toHaveLength(jobsBefore);
		// Nothing crossed into the other shop.
		expect(await eventsOf(tenantB, 'promo.issued')).toHaveLength(0);
	});

	it('two issue calls at once still give each customer one code', async () => {
		const campaign = await createCampaign(db, tenantA, { ...campaignInput, name: 'Гонка' }, now);
		const results = await Promise.allSettled([
			issueToSegment(db, deps, tenantA, campaign.id),
			issueToSegment(db, deps, tenantA, campaign.id),
		]);
		const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
		expect(done.length).toBeGreaterThan(0);
		if (done.length === 2) expect(done[0]!.issued + done[1]!.issued).toBe(4);
		expect(await codesOf(campaign.id)).toHaveLength(4);
		const again = await issueToSegment(db, deps, tenantA, campaign.id);
		expect(again.issued).toBe(0);
	});

	it('reaches Telegram too when the campaign says so, and refuses a paused campaign', async () => {
		const both = await createCampaign(
			db,
			tenantA,
			{ ...campaignInput, name: 'Везде', channels: ['vk', 'telegram'] },
			now,
		);
		expect(await previewAudience(db, tenantA, both.id, deps.privateChat)).toMatchObject({
			audience: 5,
			reachable: 2,
		});
		const result = await issueToSegment(db, deps, tenantA, both.id);
		expect(result).toMatchObject({ issued: 5, messaged: 2 });
		const dinaJob = (await sendJobs(tenantA)).find((j) => j.target === `telegram:${tgA}:201`);
		expect(dinaJob?.payload).toContain('Ваш персональный промокод');

		await updateCampaign(db, tenantA, both.id, { status: 'paused' }, now);
		await expect(issueToSegment(db, deps, tenantA, both.id)).rejects.toThrow(ConflictError);
		for (const name of ['Осень', 'Зима', 'Гонка', 'Везде']) {
			const row = await db
				.selectFrom('promo_campaigns')
				.select('id')
				.where('tenant_id', '=', tenantA)
				.where('name', '=', name)
				.executeTakeFirstOrThrow();
			await updateCampaign(db, tenantA, row.id, { status: 'ended' }, now);
		}
	});

	describe('asking in the chat', () => {
		let campaignId: string;
		let seq = 0;
		const ask = async (vkUser: string, input: { text?: string; buttonData?: string; chatId?: string }) => {
			seq += 1;
			now += 1000;
			const batch: InboundBatch = {
				identifiers: [{ type: 'vk', value: vkUser, verified: true }],
				events: [
					{
						type: 'message.in',
						channel: 'vk',
						occurredAt: now,
						sourceKey: `vk:1:ask-${seq}`,
						data: {
							channel: 'vk',
							connectionId: vkA,
							chatId: vkUser,
							externalId: String(seq),
							attachments: [],
							...input,
						},
					},
				],
			};
			await db.transaction().execute((tx) => ingestBatch(tx, tenantA, batch, now, reactors));
			const jobs = await sendJobs(tenantA);
			return jobs.filter((j) => j.dedupe_key?.includes(`vk:1:ask-${seq}`)).map((j) => JSON.parse(j.payload));
		};

		beforeAll(async () => {
			campaignId = (await createCampaign(db, tenantA, { ...campaignInput, name: 'По запросу' }, now)).id;
		});

		it('in a group chat: no answer at all, even to a consenting customer', async () => {
			expect(await ask('106', { text: 'промокод', chatId: '2000000007' })).toEqual([]);
			expect(await codesOf(campaignId)).toHaveLength(0);
		});

		it('without consent: asks for it with a button, issues and sends nothing', async () => {
			const sent = await ask('102', { text: 'Есть промокод?' });
			expect(sent).toHaveLength(1);
			expect(sent[0].text).toContain('только тем, кто согласился');
			expect(sent[0].buttons).toEqual([{ text: 'Согласен получать предложения', data: 'promo:consent' }]);
			expect(await codesOf(campaignId)).toHaveLength(0);
		});

		it('the consent button records consent.given and answers with the personal code, once per campaign', async () => {
			const sent = await ask('102', { buttonData: 'promo:consent' });
			const codes = await codesOf(campaignId);
			expect(codes).toHaveLength(1);
			expect(codes[0]).toMatchObject({ customer_id: people.boris, source: 'request' });
			expect(sent).toHaveLength(1);
			expect(sent[0].text).toContain(codes[0]?.code);
			const consent = await db
				.selectFrom('consents')
				.selectAll()
				.where('customer_id', '=', people.boris)
				.executeTakeFirstOrThrow();
			expect(consent).toMatchObject({ purpose: 'marketing', status: 'given', source: 'vk:promo-bot' });
			const given = (await eventsOf(tenantA, 'consent.given')).filter((e) => e.customer_id === people.boris);
			expect(given).toHaveLength(1);

			const again = await ask('102', { text: 'промокод' });
			expect(again[0].text).toContain(codes[0]?.code);
			expect(await codesOf(campaignId)).toHaveLength(1);
		});

		it('"отписаться" withdraws the consent; asking again gets the question, not the code', async () => {
			const stopped = await ask('102', { buttonData: 'promo:stop' });
			expect(stopped[0].text).toContain('больше не будем');
			const asked = await ask('102', { text: 'promo' });
			expect(asked[0].buttons).toEqual([{ text: 'Согласен получать предложения', data: 'promo:consent' }]);
		});

		it('a redemption enqueues one delayed follow-up; the thank-you carries the next code, once', async () => {
			await updateCampaign(
				db,
				tenantA,
				campaignId,
				{ followUp: { text: 'Ждём вас снова!', delayMinutes: 90 } },
				now,
			);
			await ask('101', { text: 'промокод' });
			const next = await createCampaign(
				db,
				tenantA,
				{ ...campaignInput, name: 'Следующая', offer: 'Чай в подарок' },
				now,
			);
			const anna = (await codesOf(campaignId)).find((c) => c.customer_id === people.anna);
			if (!anna) throw new Error('anna has no code');
			await db.updateTable('promo_codes').set({ redeemed_at: now }).where('id', '=', anna.id).execute();
			const redeemed: InboundBatch = {
				identifiers: [{ type: 'vk', value: '101', verified: true }],
				events: [
					{
						type: 'promo.redeemed',
						channel: 'pos',
						occurredAt: now,
						sourceKey: `pos:promo:${anna.id}`,
						data: { code: anna.code, locationId: 'loc' },
					},
				],
			};
			for (let i = 0; i < 2; i += 1) {
				await db.transaction().execute((tx) => ingestBatch(tx, tenantA, redeemed, now, reactors));
			}
			const followUps = () =>
				db
					.selectFrom('outbox')
					.selectAll()
					.where('tenant_id', '=', tenantA)
					.where('kind', '=', FOLLOW_UP_JOB_KIND)
					.execute();
			// Due in 90 minutes: kept on the code, not parked in the outbox.
			const planned = await db
				.selectFrom('promo_codes')
				.select('thank_you_at')
				.where('id', '=', anna.id)
				.executeTakeFirstOrThrow();
			expect(Number(planned.thank_you_at)).toBe(now + 90 * 60_000);
			expect(await followUps()).toHaveLength(0);
			expect(await enqueueDueThankYous(db, now + 60_000)).toEqual({
				enqueued: 0,
				nextDueAt: now + 90 * 60_000,
			});

			now += 90 * 60_000;
			const swept = await Promise.all([enqueueDueThankYous(db, now), enqueueDueThankYous(db, now)]);
			expect(swept[0].enqueued + swept[1].enqueued).toBe(1);
			expect(await followUps()).toHaveLength(1);
			expect(await enqueueDueThankYous(db, now)).toEqual({ enqueued: 0, nextDueAt: null });
			for (let i = 0; i < 2; i += 1) {
				await db.transaction().execute((tx) => sendThankYou(tx, deps, tenantA, anna.id));
			}
			const thanks = (await sendJobs(tenantA)).filter((j) =>
				j.dedupe_key?.startsWith(`bot:promo:thanks:${anna.id}`),
			);
			expect(thanks).toHaveLength(1);
			const text = JSON.parse(thanks[0]?.payload ?? '{}').text as string;
			const nextCode = (await codesOf(next.id)).find((c) => c.customer_id === people.anna);
			expect(nextCode?.source).toBe('follow-up');
			expect(text).toContain('Анна, спасибо');
			expect(text).toContain('Ждём вас снова!');
			expect(text).toContain('Чай в подарок');
			expect(text).toContain(nextCode?.code);
		});

		it('sends no thank-you to a customer without consent', async () => {
			const boris = (await codesOf(campaignId)).find((c) => c.customer_id === people.boris);
			if (!boris) throw new Error('boris has no code');
			await db.updateTable('promo_codes').set({ redeemed_at: now }).where('id', '=', boris.id).execute();
			const sent = await db.transaction().execute((tx) => sendThankYou(tx, deps, tenantA, boris.id));
			expect(sent).toBe(false);
		});

		it('the runtime’s sweeper enqueues a due thank-you by itself and wakes the outbox', async () => {
			const boris = (await codesOf(campaignId)).find((c) => c.customer_id === people.boris);
			if (!boris) throw new Error('boris has no code');
			await db.updateTable('promo_codes').set({ thank_you_at: now }).where('id', '=', boris.id).execute();
			let woken = 0;
			const runtime = createPromoRuntime({
				...deps,
				db,
				logger: silentLogger,
				committed: () => {
					woken += 1;
				},
			});
			runtime.start();
			try {
				const job = async () =>
					await db
						.selectFrom('outbox')
						.select('id')
						.where('dedupe_key', '=', `promo:follow-up:${boris.id}`)
						.executeTakeFirst();
				for (let i = 0; i < 100 && !(await job()); i += 1) await new Promise((r) => setTimeout(r, 20));
				expect(await job()).toBeDefined();
				expect(woken).toBeGreaterThan(0);
			} finally {
				await runtime.stop();
			}
		});
	});
});
