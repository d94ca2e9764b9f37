import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { seedTelegramDataDir } from '../tests/support/seed-data-dir.ts';
import { pacedLoad } from './support/paced-load.ts';
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

const ms = (value: number) => value.toFixed(1);

/**
 * The server's event-loop lag since the previous scrape (prom-client resets its monitor on each).
 * Its monitor samples every 10 ms and reports the whole gap, so 10 ms is an idle loop's figure.
 */
async function eventLoopLag(url: string): Promise<{ p99: number; max: number }> {
	const text = await (await fetch(`${url}/metrics`)).text();
	const read = (name: string) =>
		1000 *
		Number(
			new RegExp(`^nitka_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN,
		);
	const SAMPLING_MS = 10;
	return { p99: read('p99') - SAMPLING_MS, max: read('max') - SAMPLING_MS };
}

/** Closed-loop, as fast as the server answers: the throughput figure. */
async function load(url: string, headers: Record<string, string>) {
	const result = await autocannon({
		url,
		method: 'POST',
		connections: 32,
		duration: SECONDS,
		headers: { 'content-type': 'application/json', ...headers },
		requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
	});
	return {
		rps: result['2xx'] / SECONDS,
		errors: result.errors + result.non2xx + result.timeouts,
	};
}

/** Open-loop at a steady 1,000 requests/s (how a platform delivers): the latency figure. */
function steady(url: string, headers: Record<string, string>) {
	return pacedLoad({ url, headers, rate: 1000, seconds: SECONDS, body });
}

/**
 * Ingest: POST a webhook → durably stored (SQLite WAL, fdatasync before the 200) → 200, against a bare
 * express handler that stores nothing, in the same run. Two loads each: as fast as possible
 * (throughput ratio, autocannon) and an evenly paced 1,000 requests/s (p99 at the platform-like
 * rate, counted from each request's due time).
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
		await pacedLoad({ url: `${bare.url}/hook`, headers: {}, rate: 200, seconds: 3, body }); // warm-up both
		await pacedLoad({ url: hook, headers: secret, rate: 200, seconds: 3, body });
		// The paced phase first, so it meets a server in its steady state rather than one still
		// working off the backlog an all-out phase leaves (tens of thousands of stored webhooks).
		const bareSteady = await steady(`${bare.url}/hook`, {});
		await eventLoopLag(nitka.url); // starts the window
		const oursSteady = await steady(hook, secret);
		const lag = await eventLoopLag(nitka.url);
		const bareMax = await load(`${bare.url}/hook`, {});
		const oursMax = await load(hook, secret);
		const ratio = oursMax.rps / bareMax.rps;
		console.log(
			`ingest max throughput: nitka ${oursMax.rps.toFixed(0)} req/s vs bare express ${bareMax.rps.toFixed(0)} req/s (errors ${oursMax.errors}/${bareMax.errors})`,
		);
		console.log(
			`ingest at 1000 req/s paced: nitka p50 ${ms(oursSteady.p50)} p99 ${ms(oursSteady.p99)} max ${ms(oursSteady.max)} ms; bare p50 ${ms(bareSteady.p50)} p99 ${ms(bareSteady.p99)} max ${ms(bareSteady.max)} ms (errors ${oursSteady.errors}/${bareSteady.errors} of ${oursSteady.sent})`,
		);
		console.log(
			`nitka's event loop during the paced load: lag p99 ${ms(lag.p99)} ms, max ${ms(lag.max)} ms (time its own work kept a request waiting)`,
		);
		console.log(
			`ingest: ${ratio.toFixed(2)}x bare express, p99 ${ms(oursSteady.p99)} ms at 1k req/s (goal >= 0.5x, p99 <= 25 ms)`,
		);
	} finally {
		await nitka.stop();
		await bare.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
