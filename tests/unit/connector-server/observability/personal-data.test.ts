import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../connector-server/src/observability/logger.ts';
import {
	maskPersonalData,
	maskString,
} from '../../../../connector-server/src/observability/personal-data.ts';

describe('personal data masking', () => {
	it('masks phones and emails inside free text', () => {
		const masked = maskString('call +7 (912) 345-67-89 or write anna.petrova@yandex.ru');
		expect(masked).not.toContain('345-67');
		expect(masked).not.toContain('anna.petrova');
		expect(masked).toContain('***89');
		expect(masked).toContain('a***@yandex.ru');
	});

	it('redacts secret-looking keys whole, at any depth', () => {
		const masked = maskPersonalData({
			a: { botToken: '123:ABC', headers: { authorization: 'Bearer x' } },
			api_key: 'k',
		}) as Record<string, unknown>;
		expect(JSON.stringify(masked)).not.toContain('123:ABC');
		expect(JSON.stringify(masked)).not.toContain('Bearer x');
		expect(masked.api_key).toBe('[redacted]');
	});

	it("masks an error's stack and its causes, at any depth", () => {
		const root = new Error('lookup failed for ivan@mail.ru', {
			cause: { phone: '+79123456789', token: 't-1' },
		});
		const middle = new Error('sync failed for +7 912 345-67-89', { cause: root });
		const top = new Error('delivery failed', { cause: middle });
		const out = JSON.stringify(maskPersonalData({ err: top }));
		expect(out).toContain('delivery failed');
		expect(out).toContain('i***@mail.ru');
		expect(out).not.toContain('ivan@mail.ru');
		expect(out).not.toContain('345-67-89');
		expect(out).not.toContain('+79123456789');
		expect(out).not.toContain('t-1');
		const masked = maskPersonalData(middle) as { stack: string; cause: { stack: string } };
		expect(masked.stack).toContain('sync failed for ***89');
		expect(masked.cause.stack).toContain('lookup failed for i***@mail.ru');
	});

	it('the logger never writes a phone, an email or a token', async () => {
		const lines: string[] = [];
		const sink = new Writable({
			write(chunk, _enc, done) {
				lines.push(String(chunk));
				done();
			},
		});
		const logger = createLogger('info', sink);
		logger.info(
			{ customer: { phone: '+79123456789', email: 'ivan@mail.ru' }, token: 'secret-token' },
			'linked +79123456789',
		);
		await new Promise((resolve) => setImmediate(resolve));
		const out = lines.join('');
		expect(out).toContain('linked');
		expect(out).not.toContain('+79123456789');
		expect(out).not.toContain('ivan@mail.ru');
		expect(out).not.toContain('secret-token');
	});
});
