/**
 * A named lock shared by every connector process (a database row with an expiry), for work that
 * must never run twice at once anywhere, such as rotating a portal's single-use refresh token.
 *
 * How to extend: name locks `<purpose>:<scope>`; keep the work inside short and idempotent, since
 * an expired lock can be taken over by another process. Long work (a backfill) asks for
 * `keepAlive`: the lock is renewed while it runs, and `lease.signal` aborts if it was lost anyway.
 */
export interface HostLocks {
	/** Waits (up to `waitMs`) for the lock, runs `fn`, releases; throws LockTimeoutError on timeout. */
	withLock<T>(
		name: string,
		fn: (lease: LockLease) => Promise<T>,
		options?: { ttlMs?: number; waitMs?: number; keepAlive?: boolean },
	): Promise<T>;
	/** Whether some holder (in any process) has the lock and its expiry has not passed. */
	isHeld(name: string): Promise<boolean>;
}

/** What the work under a lock may watch: aborted when a kept-alive lock was lost to another holder. */
export interface LockLease {
	readonly signal: AbortSignal;
}

export class LockTimeoutError extends Error {
	override readonly name = 'LockTimeoutError';
}
