import { describe, expect, it } from 'vitest';
import { isOurApp } from '../../../../../connector-server/src/hosts/bitrix24/install.ts';

describe('isOurApp', () => {
	it('accepts app.info naming our client id, or the configured marketplace app code', () => {
		expect(isOurApp({ CODE: 'local.abc' }, 'local.abc')).toBe(true);
		expect(isOurApp({ CODE: 'nitka.connector' }, 'app.123.456', 'nitka.connector')).toBe(true);
		expect(isOurApp({ client_id: 'app.123.456' }, 'app.123.456', 'nitka.connector')).toBe(true);
	});

	it('refuses another app, and an answer that names none', () => {
		expect(isOurApp({ CODE: 'other.app' }, 'app.123.456', 'nitka.connector')).toBe(false);
		expect(isOurApp({}, 'app.123.456', 'nitka.connector')).toBe(false);
	});
});
