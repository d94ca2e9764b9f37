import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../connector-server/src/db/database.ts';
import { seedTelegramDataDir } from '../../support/seed-data-dir.ts';

const MASTER_KEY = 'c0ffee'.repeat(11).slice(0, 64);
const SECRET = 'crash-test-secret';
const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Starts the real server as its own process and resolves with its URL once it listens. */
async function startProcess(
	dataDir: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'connector-server/src/main.ts'], {
		cwd: repoRoot,
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', MASTER_KEY, LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.stderr!.resume();
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('server did not start')), 30_000);
		const lines = createInterface({ input: child.stdout! });
		lines.on('line', (line) => {
			const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
			if (match?.[1]) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
	});
	return { child, url, exited };
}

function update(id: number) {
	return JSON.stringify({
		update_id: id,
		message: {
			message_id: id,
			date: 1_763_892_000 + id,
			chat: { id: 1000 + (id % 7), type: 'private' },
			from: { id: 1000 + (id % 7), is_bot: false, first_name: `User${id % 7}` },
			text: `message ${id}`,
		},
	});
}

describe('crash recovery: SIGKILL while webhooks stream in', () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-crash-'));
	let running: ChildProcess | undefined;
	afterAll(() => {
		running?.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('loses no acknowledged payload, and a restart processes each exactly once', async () => {
		// Seed a tenant and a Telegram connection into the data folder the server will use.
		const { connection } = await seedTelegramDataDir(dataDir, MASTER_KEY, SECRET);

		const first = await startProcess(dataDir);
		running = first.child;
		const hook = `${first.url}/hooks/telegram/${connection.id}`;
		const total = 1500;
		const acked = new Set<number>();
		let next = 1;
		let killed = false;
		// 16 senders in parallel; the process is killed once 300 deliveries were acknowledged.
		const sender = async () => {
			while (next <= total && !killed) {
				const id = next++;
				try {
					const res = await fetch(hook, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
						body: update(id),
					});
					if (res.status === 200) acked.add(id);
				} catch {
					// connection reset by the kill: not acknowledged, the platform would redeliver
				}
				if (acked.size >= 300 && !killed) {
					killed = true;
					first.child.kill('SIGKILL');
				}
			}
		};
		await Promise.all(Array.from({ length: 16 }, sender));
		expect(killed).toBe(true);
		expect(acked.size).toBeLessThan(total); // the kill really cut the stream
		await first.exited;

		// Restart on the same data; the platform redelivers everything it has not seen acknowledged,
		// and (as Telegram may) some it has.
		const second = await startProcess(dataDir);
		running = second.child;
		const hook2 = `${second.url}/hooks/telegram/${connection.id}`;
		const redeliver = [...Array.from({ length: 400 }, (_, i) => i + 1)];
		for (const id of redeliver) {
			const res = await fetch(hook2, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
				body: update(id),
			});
			expect(res.status).toBe(200);
		}
		const db = await openDatabase({ dialect: 'sqlite', file: path.join(dataDir, 'nitka.sqlite') });
		try {
			const deadline = Date.now() + 30_000;
			for (;;) {
				const pending = await db.db
					.selectFrom('inbox')
					.select('id')
					.where('status', '=', 'pending')
					.execute();
				if (pending.length === 0) break;
				if (Date.now() > deadline) throw new Error(`${pending.length} inbox items still pending`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			const events = await db.db
				.selectFrom('events')
				.select('source_key')
				.where('type', '=', 'message.in')
				.execute();
			const keys = events.map((e) => e.source_key);
			expect(new Set(keys).size).toBe(keys.length); // exactly once
			const stored = new Set(keys.map((k) => Number(k.split(':').at(-1))));
			for (const id of acked) expect(stored.has(id), `acknowledged update ${id} was lost`).toBe(true);
			for (const id of redeliver) expect(stored.has(id)).toBe(true);
			const quarantined = await db.db
				.selectFrom('inbox')
				.select('id')
				.where('status', '=', 'quarantined')
				.execute();
			expect(quarantined).toHaveLength(0);
		} finally {
			await db.close();
		}
		second.child.kill('SIGTERM');
		await second.exited;
		running = undefined;
	});
});
