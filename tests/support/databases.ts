import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type OpenedDatabase, openDatabase } from '../../connector-server/src/db/database.ts';

/** PostgreSQL used by the integration suites; CI starts it (see .ci/run). */
export const POSTGRES_ADMIN_URL =
	process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialects every repository suite runs against. Both are real databases, never mocks. */
export const dialects: TestDialect[] = ['sqlite', 'postgres'];

export interface TestDatabase extends OpenedDatabase {
	/** A connection URL for a separate server process (sqlite: the file). */
	url: string;
	drop(): Promise<void>;
}

/**
 * A fresh, migrated database: a SQLite file in a temp folder, or a new PostgreSQL database with
 * a random name, dropped afterwards. Each test file gets its own, so files run in parallel.
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
	if (dialect === 'sqlite') {
		const dir = mkdtempSync(path.join(tmpdir(), 'nitka-test-'));
		const file = path.join(dir, 'test.sqlite');
		const opened = await openDatabase({ dialect: 'sqlite', file });
		return {
			...opened,
			url: `sqlite:${file}`,
			drop: async () => {
				await opened.close();
				rmSync(dir, { recursive: true, force: true });
			},
		};
	}
	const name = `nitka_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(POSTGRES_ADMIN_URL);
	url.pathname = `/${name}`;
	const opened = await openDatabase({ dialect: 'postgres', url: url.toString() });
	return {
		...opened,
		url: url.toString(),
		drop: async () => {
			await opened.close();
			const cleanup = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
			await cleanup.connect();
			// The pool's clients may still be closing their sockets; forcing them now would surface
			// "terminating connection" as an uncaught error in the test, so give them a moment.
			for (let i = 0; i < 40; i += 1) {
				const open = await cleanup.query(
					'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
					[name],
				);
				if ((open.rows[0] as { n: number }).n === 0) break;
				await new Promise((resolve) => setTimeout(resolve, 25));
			}
			await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await cleanup.end();
		},
	};
}
