import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { seedTelegramDataDir } from '../tests/support/seed-data-dir.ts';
import { startProcess } from './support/processes.ts';

const MASTER_KEY = 'ab'.repeat(32);
const SECRET = 'bench-secret';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** A webhook-sized Telegram update (about 1 KB) with a fresh update_id per request. */
let nextId = 1;
function body(): string {
	const id = nextId++;
	return JSON.stringify({
		update_id: id,
		message: {
			message_id: id,
			date: 1_763_892_000,
			chat: { id: 10_000 + (id % 500), type: 'private', first_name: 'Покупатель', username: 'buyer' },
			from: {
				id: 10_000 + (id % 500),
				is_bot: false,
				first_name: 'Покупатель',
				last_name: 'Тестовый',
				language_code: 'ru',
			},
			text: `Здравствуйте! Подскажите, пожалуйста, есть ли в наличии куртка размера M, и можно ли забрать её сегодня в магазине на Тверской? Заказ ${id}. `.repeat(
				4,
			),
		},
	});
}

async function load(url: string, headers: Record<string, string>, rate?: number) {
	const result = await autocannon({
		url,
		method: 'POST',
		connections: 32,
		duration: SECONDS,
		...(rate ? { overallRate: rate } : {}),
		headers: { 'content-type': 'application/json', ...headers },
		requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
	});
	const ok = result['2xx'];
	return {
		rps: ok / SECONDS,
		p99: result.latency.p99,
		errors: result.errors + result.non2xx + result.timeouts,
	};
}

/**
 * Ingest: POST a webhook → durably stored (SQLite, synchronous=FULL) → 200, against a bare
 * express handler that stores nothing, in the same run. Two loads each: as fast as possible
 * (throughput ratio) and a steady 1,000 requests/s (p99 at the platform-like rate).
 */
export async function ingestBenchmark(): Promise<void> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-bench-'));
	const { connection } = await seedTelegramDataDir(dataDir, MASTER_KEY, SECRET);

	const bare = await startProcess('bench/support/bare-express.ts', {});
	const nitka = await startProcess('connector-server/src/main.ts', {
		DATA_DIR: dataDir,
		PORT: '0',
		MASTER_KEY,
		LOG_LEVEL: 'info',
		...(process.env.BENCH_WORKERS ? { WORKERS: process.env.BENCH_WORKERS } : {}),
	});
	try {
		const hook = `${nitka.url}/hooks/telegram/${connection.id}`;
		const secret = { 'x-telegram-bot-api-secret-token': SECRET };
		await load(`${bare.url}/hook`, {}, 200); // warm-up both
		await load(hook, secret, 200);
		const bareMax = await load(`${bare.url}/hook`, {});
		const oursMax = await load(hook, secret);
		const bareSteady = await load(`${bare.url}/hook`, {}, 1000);
		const oursSteady = await load(hook, secret, 1000);
		const ratio = oursMax.rps / bareMax.rps;
		console.log(
			`ingest max throughput: nitka ${oursMax.rps.toFixed(0)} req/s vs bare express ${bareMax.rps.toFixed(0)} req/s (errors ${oursMax.errors}/${bareMax.errors})`,
		);
		console.log(
			`ingest at 1000 req/s: nitka p99 ${oursSteady.p99} ms, ${oursSteady.rps.toFixed(0)} req/s; bare p99 ${bareSteady.p99} ms (errors ${oursSteady.errors}/${bareSteady.errors})`,
		);
		console.log(
			`ingest: ${ratio.toFixed(2)}x bare express, p99 ${oursSteady.p99} ms at 1k req/s (goal >= 0.5x, p99 <= 25 ms)`,
		);
	} finally {
		await nitka.stop();
		await bare.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
