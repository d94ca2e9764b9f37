import type { OzonPosting } from './types.ts';

/** Everything the Ozon emulator knows, open to tests for assertions. */
export class OzonState {
	/** Client-Id → Api-Key. */
	readonly keys = new Map<string, string>();
	/** Client-Ids whose key was deactivated in the seller cabinet. */
	readonly deactivated = new Set<string>();
	readonly postings = new Map<string, OzonPosting>();
	readonly stats = {
		/** 429 answers sent, by Client-Id. */
		rateLimited: new Map<string, number>(),
		/** Calls to endpoints Ozon retired on 2026-08-31 (research §5.3), by path. */
		retiredCalls: new Map<string, number>(),
	};

	add(posting: OzonPosting): void {
		this.postings.set(posting.posting_number, posting);
	}

	get(postingNumber: string): OzonPosting | undefined {
		return this.postings.get(postingNumber);
	}

	countRateLimited(clientId: string): void {
		this.stats.rateLimited.set(clientId, (this.stats.rateLimited.get(clientId) ?? 0) + 1);
	}

	countRetired(path: string): void {
		this.stats.retiredCalls.set(path, (this.stats.retiredCalls.get(path) ?? 0) + 1);
	}

	/** Total 429s across all Client-Ids. */
	get rateLimitedTotal(): number {
		let sum = 0;
		for (const n of this.stats.rateLimited.values()) sum += n;
		return sum;
	}
}
