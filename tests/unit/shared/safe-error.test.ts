import { describe, expect, it } from 'vitest';
import { safeError } from '../../../shared/src/safe-error.ts';

/** What a worker's error may carry from the payload, and what a host UI shows of it. */
describe('safeError: a quarantined item’s error without the payload’s personal data', () => {
	it('drops the text V8 quotes from a payload that is not JSON (inner quotes unescaped)', () => {
		const messageOf = (text: string) => {
			try {
				JSON.parse(text);
			} catch (error) {
				return (error as Error).message;
			}
			return '';
		};
		const short = messageOf('x+79995550001');
		expect(short).toContain('+79995550001');
		expect(safeError(short)).toBe('Unexpected token \'x\', "…" is not valid JSON');
		// Longer texts are cut by V8 around the error: `"start"...` or `..."middle"...`.
		const head = messageOf('x{"phone":"+79995550001","name":"Иван Петров"}');
		expect(head).toContain('phone');
		expect(safeError(head)).toBe('Unexpected token \'x\', "…" is not valid JSON');
		const middle = messageOf('{"name":"Иван Петров","phone":x79995550001}');
		expect(middle).toMatch(/\.\.\."/);
		expect(middle).toContain('phone":x7999');
		expect(safeError(middle)).toBe('Unexpected token \'x\', "…" is not valid JSON');
	});

	it('keeps zod paths and expectations; masks phones, e-mails and long numbers anywhere', () => {
		const zod =
			'result.postings.0.status: Invalid input: expected string, received undefined; items: Too big: expected array to have <=1000 items';
		expect(safeError(zod)).toBe(zod);
		expect(safeError('buyer +7 (999) 555-44-33, INN 7707083893, mail a.b@example.ru')).toBe(
			'buyer …, INN …, mail …',
		);
	});

	it('is empty for no error and cut to a readable length', () => {
		expect(safeError(null)).toBe('');
		expect(safeError('a'.repeat(1000))).toHaveLength(300);
	});
});
