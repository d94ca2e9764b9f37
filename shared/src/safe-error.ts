/**
 * A quarantined payload's error as a shop owner may read it: what was wrong, without the payload's
 * personal data. The connector stores the worker's message as is, and some carry a piece of the
 * payload: V8's JSON errors quote the text they failed on (`Unexpected token 'x', "…" is not valid
 * JSON`), and a parser's message may name a value. Zod's own (`orders.0.buyer: Invalid input…`)
 * name paths and expected types, which stay. Quoted JSON text, e-mail addresses and long digit runs
 * (phones, INNs, card and order numbers) become "…". Dependency-free, so the Bitrix24 app imports it
 * (`@nitka/shared/safe-error`) without bundling zod.
 */
export function safeError(error: string | null | undefined, max = 300): string {
	if (!error) return '';
	const redacted = error
		// V8 quotes the text as is (inner quotes unescaped), up to "is not valid JSON",
		// and cut long ones to `"start"...` or `..."middle"...`.
		.replace(/(^|, )(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?(?= is not valid JSON)/, '$1"…"')
		.replace(/[^\s@"'<>(),;]+@[^\s@"'<>(),;]+\.[^\s@"'<>(),;]+/g, '…')
		.replace(/\+?\d(?:[\d\s().-]*\d){4,}/g, '…');
	return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}
