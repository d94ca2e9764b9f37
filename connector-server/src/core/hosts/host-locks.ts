import type { Db } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { type HostLocks, LockTimeoutError } from '../ports/host-locks.ts';

/**
 * HostLocks on the `host_locks` table: taken with an upsert that succeeds only when the row is
 * free, expired or already ours (the same pattern as the outbox's tenant lease), so it holds
 * across processes on PostgreSQL and across connections on SQLite.
 */
export function createHostLocks(db: Db, clock: Clock, owner: string): HostLocks {
	let sequence = 0;
	async function tryTake(name: string, holder: string, ttlMs: number): Promise<boolean> {
		const now = clock.now();
		const row = await db
			.insertInto('host_locks')
			.values({ name, owner: holder, expires_at: now + ttlMs })
			.onConflict((oc) =>
				oc
					.column('name')
					.doUpdateSet({ owner: holder, expires_at: now + ttlMs })
					.where((eb) => eb.or([eb('host_locks.owner', '=', holder), eb('host_locks.expires_at', '<', now)])),
			)
			.returning('owner')
			.executeTakeFirst();
		return row?.owner === holder;
	}
	return {
		async withLock(name, fn, options = {}) {
			const ttlMs = options.ttlMs ?? 30_000;
			const waitMs = options.waitMs ?? 30_000;
			// Unique per call: two callers in one process must not share the lock either.
			const holder = `${owner}#${++sequence}`;
			const deadline = Date.now() + waitMs;
			let delay = 10;
			while (!(await tryTake(name, holder, ttlMs))) {
				if (Date.now() > deadline) throw new LockTimeoutError(`lock ${name} is busy`);
				await new Promise((resolve) => setTimeout(resolve, delay));
				delay = Math.min(delay * 2, 200);
			}
			const lost = new AbortController();
			// Kept alive: renewed at a third of its life; a renewal that finds another holder aborts.
			// One renewal at a time, and none after release (an upsert then would take the lock again).
			let released = false;
			let renewing: Promise<void> | undefined;
			const renew = () => {
				if (released || renewing) return;
				renewing = tryTake(name, holder, ttlMs)
					.then(
						(ours) => {
							if (!ours) lost.abort(new LockTimeoutError(`lock ${name} was taken over`));
						},
						() => undefined, // a failed renewal is tried again; the expiry decides
					)
					.finally(() => {
						renewing = undefined;
					});
			};
			const renewal = options.keepAlive ? setInterval(renew, Math.max(10, Math.floor(ttlMs / 3))) : undefined;
			renewal?.unref();
			try {
				return await fn({ signal: lost.signal });
			} finally {
				released = true;
				clearInterval(renewal);
				await renewing;
				await db.deleteFrom('host_locks').where('name', '=', name).where('owner', '=', holder).execute();
			}
		},
		async isHeld(name) {
			const row = await db
				.selectFrom('host_locks')
				.select('expires_at')
				.where('name', '=', name)
				.where('expires_at', '>=', clock.now())
				.executeTakeFirst();
			return row !== undefined;
		},
	};
}
