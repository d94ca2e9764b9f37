/**
 * A named lock shared by every connector process (a database row with an expiry), for work that
 * must never run twice at once anywhere, such as rotating a portal's single-use refresh token.
 *
 * How to extend: name locks `<purpose>:<scope>`; keep the work inside short and idempotent, since
 * an expired lock can be taken over by another process.
 */
export interface HostLocks {
	/** Waits (up to `waitMs`) for the lock, runs `fn`, releases; throws LockTimeoutError on timeout. */
	withLock<T>(name: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T>;
}

export class LockTimeoutError extends Error {
	override readonly name = 'LockTimeoutError';
}
