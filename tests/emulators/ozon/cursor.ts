import type { OzonPosting } from './types.ts';

interface CursorKey {
	t: number;
	n: string;
}

/** An opaque keyset cursor (last posting's time + number), so pages survive postings added meanwhile. */
export function encodeCursor(p: OzonPosting): string {
	const key: CursorKey = { t: p.inProcessAt, n: p.posting_number };
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey | undefined {
	try {
		const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorKey>;
		if (typeof key.t === 'number' && typeof key.n === 'string') return { t: key.t, n: key.n };
	} catch {
		// fall through: not a cursor we issued
	}
	return undefined;
}

/** Postings after the cursor in a list already sorted in the requested direction. */
export function afterCursor(sorted: OzonPosting[], key: CursorKey, dir: 'ASC' | 'DESC'): OzonPosting[] {
	const isAfter = (p: OzonPosting) => {
		const cmp = p.inProcessAt - key.t || (p.posting_number < key.n ? -1 : p.posting_number > key.n ? 1 : 0);
		return dir === 'ASC' ? cmp > 0 : cmp < 0;
	};
	const start = sorted.findIndex(isAfter);
	return start < 0 ? [] : sorted.slice(start);
}
