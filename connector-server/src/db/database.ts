import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
	Kysely,
	type Migration,
	type MigrationProvider,
	Migrator,
	PostgresDialect,
	SqliteDialect,
	sql,
} from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.ts';
import * as initial from './migrations/0001-initial.ts';
import * as conversations from './migrations/0002-conversations.ts';
import * as orders from './migrations/0003-orders.ts';
import * as bitrix24 from './migrations/0004-bitrix24.ts';
import * as woocommerce from './migrations/0005-woocommerce.ts';
import * as outboxClaims from './migrations/0006-outbox-claims.ts';
import * as counter from './migrations/0007-counter.ts';
import * as chatOrders from './migrations/0008-chat-orders.ts';
import * as promos from './migrations/0009-promos.ts';
import * as returns from './migrations/0010-returns.ts';
import * as wooClaims from './migrations/0012-woocommerce-claims.ts';
import * as orderClaims from './migrations/0013-order-claims.ts';
import * as pickupContents from './migrations/0014-pickup-contents.ts';
import type { Database } from './schema.ts';
import { WalFlusher, withStatementCache } from './sqlite-durability.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

export type Db = Kysely<Database>;
export type Dialect = Config['database']['dialect'];

// Every migration, in order. A static map (not a folder scan) so bundling and tsx agree.
const migrations: Record<string, Migration> = {
	'0001-initial': initial,
	'0002-conversations': conversations,
	'0003-orders': orders,
	'0004-bitrix24': bitrix24,
	'0005-woocommerce': woocommerce,
	'0006-outbox-claims': outboxClaims,
	'0007-counter': counter,
	'0008-chat-orders': chatOrders,
	'0009-promos': promos,
	'0010-returns': returns,
	'0012-woocommerce-claims': wooClaims,
	'0013-order-claims': orderClaims,
	'0014-pickup-contents': pickupContents,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// PostgreSQL returns bigint as a string; our bigints are epoch ms, safely inside a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface OpenedDatabase {
	db: Db;
	dialect: Dialect;
	/** Resolves once every commit made so far would survive a power cut. */
	durable(): Promise<void>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** SQLite file: checkpoint the WAL on a thread of its own (the server), not inside commits. */
	backgroundCheckpoints?: { onError(message: string): void };
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(
	database: Config['database'],
	options: OpenOptions = {},
): Promise<OpenedDatabase> {
	if (database.dialect === 'sqlite') {
		const memory = database.file === ':memory:';
		if (!memory) mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
		const sqlite = new SQLite(database.file);
		// WAL lets readers run beside the writer. NORMAL: commits do not flush; what must survive
		// a power cut awaits durable() (WalFlusher), off the event loop.
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('synchronous = NORMAL');
		sqlite.pragma('foreign_keys = ON');
		sqlite.pragma('busy_timeout = 5000');
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
		await migrate(db);
		const wal = memory ? undefined : new WalFlusher(`${database.file}-wal`);
		let checkpointer: WalCheckpointer | undefined;
		if (!memory && options.backgroundCheckpoints) {
			sqlite.pragma('wal_autocheckpoint = 0');
			// A burst's log is cut back to this size when the log starts over (16 MiB).
			sqlite.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
			checkpointer = new WalCheckpointer(database.file);
			checkpointer.onError(options.backgroundCheckpoints.onError);
		}
		return {
			db,
			dialect: 'sqlite',
			durable: () => wal?.flushed() ?? Promise.resolve(),
			close: async () => {
				await checkpointer?.close();
				await wal?.close();
				// The last connection to close checkpoints the whole log into the file.
				await db.destroy();
			},
		};
	}
	const db = new Kysely<Database>({
		dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 10 }) }),
	});
	await migrate(db);
	// PostgreSQL's commit returns once the WAL is flushed (synchronous_commit = on).
	return { db, dialect: 'postgres', durable: () => Promise.resolve(), close: () => db.destroy() };
}

export async function migrate(db: Db): Promise<void> {
	// Migrations come from parallel work streams and are independent (each adds its own tables).
	const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
	const { error, results } = await migrator.migrateToLatest();
	const failed = results?.find((result) => result.status === 'Error');
	if (error || failed) {
		throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
			cause: error,
		});
	}
}

/**
 * A transaction whose commit may skip the disk flush. Used for work that is safe to redo: the
 * inbox worker's processing, whose effects and "processed" mark commit together, so a commit lost
 * to a power cut reverts both and the item is simply processed again. Webhook acknowledgements
 * never use it: they commit fully durable.
 */
export async function relaxedTransaction<T>(
	db: Db,
	dialect: Dialect,
	fn: (tx: Db) => Promise<T>,
): Promise<T> {
	if (dialect === 'postgres') {
		return await db.transaction().execute(async (tx) => {
			await sql`SET LOCAL synchronous_commit TO OFF`.execute(tx);
			return await fn(tx);
		});
	}
	// SQLite commits never flush (synchronous=NORMAL); only durable() does.
	return await db.transaction().execute(fn);
}
