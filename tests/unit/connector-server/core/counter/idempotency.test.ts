import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from '../../../../../connector-server/src/core/counter/idempotency.ts';

describe('counter idempotency hashing', () => {
	it('hashes equal bodies equally whatever their key order', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
				const reversed = Object.fromEntries(Object.entries(object).reverse());
				expect(canonicalJson(reversed)).toBe(canonicalJson(object));
				expect(requestHash('post', '/a', reversed)).toBe(requestHash('POST', '/a', object));
			}),
		);
	});

	it('tells different bodies and different routes apart', () => {
		expect(requestHash('POST', '/a', { code: 'A' })).not.toBe(requestHash('POST', '/a', { code: 'B' }));
		expect(requestHash('POST', '/a', { code: 'A' })).not.toBe(requestHash('POST', '/b', { code: 'A' }));
		expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
	});
});
