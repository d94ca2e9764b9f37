import { sha256Hex } from '../../security/tokens.ts';

/**
 * A stored page's key: its content's hash. A re-poll that finds nothing new produces the same key
 * and is skipped at the inbox, so repeated polls cost one insert attempt and no parsing.
 */
export function pageKey(source: string, connectionId: string, content: unknown): string {
	return `${source}:page:${connectionId}:${sha256Hex(JSON.stringify(content))}`;
}

/** How far [from, to] a page has walked, for the progress bar. */
export function percentOf(at: number, from: number, to: number): number {
	if (to <= from) return 100;
	return Math.max(0, Math.min(100, ((at - from) / (to - from)) * 100));
}

/** Money as the events carry it: a decimal string with two places. */
export function money(value: number | string): string {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) ? n.toFixed(2) : '0.00';
}
