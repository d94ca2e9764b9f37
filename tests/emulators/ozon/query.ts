import type { OzonState } from './state.ts';
import type { OzonScheme, OzonStatus } from './statuses.ts';
import type { OzonPosting } from './types.ts';

export interface PostingQuery {
	schemes: readonly OzonScheme[];
	since: number;
	to: number;
	status?: OzonStatus | undefined;
	dir: 'ASC' | 'DESC';
}

/** Compares postings by processing time, then number, so pages are stable under equal timestamps. */
export function comparePostings(a: OzonPosting, b: OzonPosting): number {
	return a.inProcessAt - b.inProcessAt || (a.posting_number < b.posting_number ? -1 : 1);
}

/** Postings of the given schemes processed within [since, to], in the requested order. */
export function queryPostings(state: OzonState, query: PostingQuery): OzonPosting[] {
	const hits: OzonPosting[] = [];
	for (const p of state.postings.values()) {
		if (!query.schemes.includes(p.scheme)) continue;
		if (p.inProcessAt < query.since || p.inProcessAt > query.to) continue;
		if (query.status && p.status !== query.status) continue;
		hits.push(p);
	}
	hits.sort(comparePostings);
	if (query.dir === 'DESC') hits.reverse();
	return hits;
}
