import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../connector-server/src/config/config.ts';
import { newId } from '../connector-server/src/core/clock.ts';
import { issueApiKey } from '../connector-server/src/core/tenants/api-keys.ts';
import { startNitkaServer } from '../connector-server/src/server.ts';
import { startBitrix24Emulator } from '../tests/emulators/bitrix24/index.ts';
import { silentLogger } from '../tests/support/silent-logger.ts';

const COUNT = Number(process.env.BENCH_ORDERS ?? 10_000);
/** Portal time runs SCALE× faster: the drain rate is SCALE × 2/s for the emulator, the client and the floor alike. */
const SCALE = Number(process.env.BENCH_B24_SCALE ?? 3);
const REAL = { burst: 50, drainPerSecond: 2 };
const GOAL = 1.1;
const APP_ID = 'local.65f1a2b3c4d5e6.12345678';
const APP_SECRET = 'Sx9vP2mQ7rT4kL1nB8cZ3wY6hJ5dF0gA';

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

const phoneOf = (i: number) => `+7900${String(i).padStart(7, '0')}`;
const emailOf = (i: number) => `buyer${i}@example.ru`;
/** Every 5th customer has an email only, every 7th both; the rest a phone. */
const hasPhone = (i: number) => i % 5 !== 0;
const hasEmail = (i: number) => i % 5 === 0 || i % 7 === 0;

/**
 * Backfill of COUNT stored marketplace orders (about 0.7 × COUNT customers, 5% of them already
 * contacts in the portal) into Bitrix24 deals, against the emulator enforcing the leaky bucket
 * (burst 50, drain 2/s). Floor: the requests the backfill sent, less the burst, at the drain rate.
 */
export async function bitrix24BackfillBenchmark(): Promise<void> {
	const limits = { burst: REAL.burst, drainPerSecond: REAL.drainPerSecond * SCALE };
	const b24 = await startBitrix24Emulator({ limits });
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-bench-b24-'));
	const port = await freePort();
	const publicUrl = `http://127.0.0.1:${port}`;
	const server = await startNitkaServer({
		config: loadConfig({
			DATA_DIR: dataDir,
			PORT: String(port),
			LOG_LEVEL: 'silent',
			PUBLIC_URL: publicUrl,
			API_RATE_LIMIT: '100000',
		}),
		logger: silentLogger,
		bitrix24: {
			clientId: APP_ID,
			clientSecret: APP_SECRET,
			appUrl: `${publicUrl}/bitrix24/app/`,
			limits,
			reconcileMs: 0,
		},
	});
	try {
		b24.defineApp({
			clientId: APP_ID,
			clientSecret: APP_SECRET,
			scope: 'crm,imopenlines,imconnector,im,placement,user_brief',
			handlerUrl: `${publicUrl}/hosts/bitrix24/install`,
			version: '1',
			hasUi: true,
			status: 'L',
		});
		await b24.installApp(APP_ID);
		b24.finishInstall(APP_ID);
		const { tenant_id: tenantId } = await server.db
			.selectFrom('host_portals')
			.select('tenant_id')
			.executeTakeFirstOrThrow();
		const { key } = await issueApiKey(server.db, { tenantId }, 'bench', Date.now());

		// Customers, their identities and orders, stored as the marketplace ingestion would leave them.
		const customers = Math.round(COUNT * 0.7);
		const at = Date.now();
		await server.db.transaction().execute(async (tx) => {
			const ids: string[] = [];
			for (let i = 0; i < customers; i++) {
				const id = newId(at);
				ids.push(id);
				await tx
					.insertInto('customers')
					.values({
						id,
						tenant_id: tenantId,
						parent_id: null,
						root_id: id,
						name: `Buyer ${i}`,
						name_rank: 1,
						name_at: at,
						created_at: at,
						updated_at: at,
					})
					.execute();
				const identities = [
					...(hasPhone(i) ? [{ type: 'phone', value: phoneOf(i) }] : []),
					...(hasEmail(i) ? [{ type: 'email', value: emailOf(i) }] : []),
				];
				for (const identity of identities)
					await tx
						.insertInto('identities')
						.values({
							id: newId(at),
							tenant_id: tenantId,
							customer_id: id,
							...identity,
							verified: 1,
							source: 'bench',
							created_at: at,
						})
						.execute();
			}
			for (let i = 0; i < COUNT; i++) {
				const customer = ids[i < customers ? i : (i * 7919) % customers]!;
				await tx
					.insertInto('orders')
					.values({
						id: newId(at + i),
						tenant_id: tenantId,
						source: 'ozon',
						external_id: `P-${i}`,
						connection_id: null,
						number: `P-${i}`,
						status: i % 3 === 0 ? 'delivered' : 'created',
						raw_status: 'x',
						status_at: at,
						customer_id: customer,
						buyer_known: 1,
						created_at: at,
						updated_at: at,
					})
					.execute();
			}
		});
		// 5% of the customers are already contacts in the portal, made by the shop by hand.
		const hook = b24.createWebhook(1, 'crm');
		const existing = Array.from({ length: Math.round(customers * 0.05) }, (_, k) => k * 20 + 3);
		for (let k = 0; k < existing.length; k += 50) {
			const cmd = Object.fromEntries(
				existing
					.slice(k, k + 50)
					.map((i) => [
						`e${i}`,
						hasPhone(i)
							? `crm.contact.add?fields[NAME]=Old&fields[PHONE][0][VALUE]=${encodeURIComponent(phoneOf(i).replace(/^\+7900/, '+7 900 '))}`
							: `crm.contact.add?fields[NAME]=Old&fields[EMAIL][0][VALUE]=${encodeURIComponent(emailOf(i).toUpperCase())}`,
					]),
			);
			await fetch(`${hook}batch`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ halt: 0, cmd }),
			});
		}
		// Let the bucket drain completely: the run starts with the full burst, as the floor assumes.
		await new Promise((resolve) => setTimeout(resolve, (REAL.burst / limits.drainPerSecond) * 1000 + 200));

		const portal = b24.portal();
		const requestsBefore = portal.requests.all().length;
		const api = async (method: string) => {
			const r = await fetch(`${server.url}/api/v1/tenants/${tenantId}/bitrix24/backfill`, {
				method,
				headers: { authorization: `Bearer ${key}` },
			});
			return (await r.json()) as Record<string, number | string | null>;
		};
		const started = performance.now();
		await api('POST');
		let progress = await api('GET');
		while (progress.status === 'running') {
			await new Promise((resolve) => setTimeout(resolve, 50));
			progress = await api('GET');
		}
		const seconds = (performance.now() - started) / 1000;
		const requests = portal.requests.all().length - requestsBefore;
		const refused = Number(progress.limited);
		const admitted = requests - refused;
		const floor = Math.max(0, admitted - REAL.burst) / limits.drainPerSecond;

		// Every order exactly one deal, on a contact that exists; no two contacts share a phone or email.
		const crm = portal.state.crm;
		const contactIds = new Set(crm.all(3).map((c) => c.ID));
		const deals = new Map<string, number>();
		let broken = 0;
		for (const deal of crm.all(2)) {
			const origin = String(deal.fields.ORIGIN_ID ?? '');
			deals.set(origin, (deals.get(origin) ?? 0) + 1);
			const contacts = (deal.fields.CONTACT_IDS ?? deal.fields.CONTACT_ID ?? []) as unknown;
			const list = (Array.isArray(contacts) ? contacts : [contacts]).map(Number);
			if (!list.some((id) => contactIds.has(id))) broken += 1;
		}
		let lost = 0;
		let duplicates = 0;
		for (let i = 0; i < COUNT; i++) {
			const n = deals.get(`ozon:P-${i}`) ?? 0;
			if (n === 0) lost += 1;
			else duplicates += n - 1;
		}
		const seen = new Set<string>();
		let duplicateContacts = 0;
		for (const contact of crm.all(3)) {
			const values = contact.multi.map((m) =>
				m.TYPE_ID === 'PHONE' ? m.VALUE.replace(/\D/g, '') : m.VALUE.toLowerCase(),
			);
			if (values.some((v) => seen.has(v))) duplicateContacts += 1;
			for (const v of values) seen.add(v);
		}
		// Every order exactly one timeline entry, on the contact of its deal.
		const dealContact = new Map<string, number>();
		for (const deal of crm.all(2)) {
			const contacts = (deal.fields.CONTACT_IDS ?? deal.fields.CONTACT_ID ?? []) as unknown;
			dealContact.set(
				String(deal.fields.TITLE ?? '').replace(/^ozon /, ''),
				(Array.isArray(contacts) ? contacts : [contacts]).map(Number)[0] ?? 0,
			);
		}
		const entries = new Map<string, number>();
		let misplacedEntries = 0;
		for (const message of crm.logMessages) {
			const number = /^Order (\S+) \(ozon\)$/.exec(message.title)?.[1];
			if (!number) continue;
			entries.set(number, (entries.get(number) ?? 0) + 1);
			if (message.entityTypeId !== 3 || message.entityId !== dealContact.get(number)) misplacedEntries += 1;
		}
		let lostEntries = 0;
		let duplicateEntries = 0;
		for (let i = 0; i < COUNT; i++) {
			const n = entries.get(`P-${i}`) ?? 0;
			if (n === 0) lostEntries += 1;
			else duplicateEntries += n - 1;
		}
		const ratio = floor > 0 ? seconds / floor : Number.POSITIVE_INFINITY;
		console.log(
			`orders: ${COUNT}, customers: ${customers} (${existing.length} already contacts in the portal)`,
		);
		console.log(
			`limits: burst ${REAL.burst}, drain ${REAL.drainPerSecond}/s, portal clock ×${SCALE} (emulator, client bucket and floor all at ${limits.drainPerSecond}/s; real time = figures × ${SCALE})`,
		);
		console.log(
			`requests: ${requests} (${refused} refused with QUERY_LIMIT_EXCEEDED), commands: ${progress.commands} (${(Number(progress.commands) / Math.max(1, admitted)).toFixed(1)} per request), per-order path would need ≈ ${COUNT * 4}`,
		);
		console.log(
			`measured: ${seconds.toFixed(1)} s (real-time ${((seconds * SCALE) / 60).toFixed(1)} min); floor: ${floor.toFixed(1)} s (real-time ${((floor * SCALE) / 60).toFixed(1)} min)`,
		);
		console.log(
			`status: ${progress.status}; done ${progress.done}/${progress.total}, failed ${progress.failed}; lost: ${lost}, duplicate deals: ${duplicates}, duplicate contacts: ${duplicateContacts}, deals without a contact: ${broken}`,
		);
		console.log(
			`timeline entries: ${progress.logged} written (${progress.logsFailed} given up); lost: ${lostEntries}, duplicates: ${duplicateEntries}, not on the deal's contact: ${misplacedEntries}`,
		);
		console.log(`bitrix24-backfill: ${ratio.toFixed(2)}x (goal ≤ ${GOAL}x)`);
	} finally {
		await server.close();
		await b24.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
