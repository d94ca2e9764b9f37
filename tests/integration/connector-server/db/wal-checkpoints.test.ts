import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../../../../connector-server/src/db/database.ts';
import { eventually } from '../../../support/server.ts';

const walSize = (file: string) => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/** The WAL header's checkpoint sequence number: it goes up each time a writer restarts the log. */
function walRestarts(file: string): number {
	const fd = openSync(`${file}-wal`, 'r');
	try {
		const header = Buffer.alloc(16);
		readSync(fd, header, 0, 16, 0);
		return header.readUInt32BE(12);
	} finally {
		closeSync(fd);
	}
}

/** Writes `rows` rows of about 2 KB each, one commit per row, like a stream of webhooks. */
async function writeRows(opened: OpenedDatabase, from: number, rows: number): Promise<void> {
	for (let i = from; i < from + rows; i++) {
		await sql`INSERT INTO filler (id, body) VALUES (${i}, ${'x'.repeat(2_000)})`.execute(opened.db);
	}
}

describe('SQLite WAL checkpoints on their own thread', () => {
	let dir = '';
	let opened: OpenedDatabase | undefined;

	afterEach(async () => {
		await opened?.close();
		opened = undefined;
		rmSync(dir, { recursive: true, force: true });
	});

	it('no commit checkpoints; the thread keeps the log from growing, and every row survives', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'nitka-wal-'));
		const file = path.join(dir, 'nitka.sqlite');
		const errors: string[] = [];
		opened = await openDatabase(
			{ dialect: 'sqlite', file },
			{ backgroundCheckpoints: { onError: (message) => errors.push(message) } },
		);
		await sql`CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(opened.db);
		const pragma = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(opened.db);
		// Commits never run a checkpoint themselves…
		expect(pragma.rows[0]?.wal_autocheckpoint).toBe(0);

		// …yet 3 × 4 MB of commits (each burst past the 1000-page automatic checkpoint) do not pile up:
		// the thread copies the log out, and the next writer starts it over.
		let extra = 1_000_000;
		for (let burst = 0; burst < 3; burst++) {
			const restarts = walRestarts(file);
			await writeRows(opened, burst * 2_000, 2_000);
			await eventually(async () => {
				await writeRows(opened!, extra++, 1);
				return walRestarts(file) !== restarts ? true : undefined;
			});
		}
		// Without checkpoints the log would hold every commit's pages (about 70 MB here); started
		// over, it is cut back to the 16 MiB limit.
		expect(walSize(file)).toBeLessThanOrEqual(16 * 1024 * 1024);
		expect(errors).toEqual([]);
		await opened.close();
		opened = undefined;

		const reopened = new SQLite(file, { readonly: true });
		const { n } = reopened.prepare('SELECT count(*) AS n FROM filler WHERE id < 1000000').get() as {
			n: number;
		};
		reopened.close();
		expect(n).toBe(6_000);
	});

	it('without the option (tests, the CLI) SQLite checkpoints inside commits as usual', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'nitka-wal-'));
		opened = await openDatabase({ dialect: 'sqlite', file: path.join(dir, 'nitka.sqlite') });
		const pragma = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(opened.db);
		expect(pragma.rows[0]?.wal_autocheckpoint).toBe(1000);
	});
});
