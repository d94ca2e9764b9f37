import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../connector-server/src/config/config.ts';

describe('loadConfig', () => {
	it('runs embedded with no configuration at all', () => {
		const config = loadConfig({});
		expect(config.port).toBe(8080);
		expect(config.database).toEqual({ dialect: 'sqlite', file: path.resolve('./data/nitka.sqlite') });
		expect(config.workers).toBe(true);
	});

	it('uses PostgreSQL when DATABASE_URL says so', () => {
		expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({
			dialect: 'postgres',
			url: 'postgres://u@h/db',
		});
	});

	it('names every bad variable', () => {
		try {
			loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MASTER_KEY: 'short' });
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(ConfigError);
			const message = (error as Error).message;
			expect(message).toContain('PORT');
			expect(message).toContain('DATABASE_URL');
			expect(message).toContain('MASTER_KEY');
		}
	});

	it('turns Bitrix24 on only with both app credentials and a reachable address', () => {
		expect(loadConfig({}).bitrix24).toBeUndefined();
		expect(() => loadConfig({ BITRIX24_CLIENT_ID: 'local.1' })).toThrow(/go together/);
		expect(() => loadConfig({ BITRIX24_CLIENT_ID: 'local.1', BITRIX24_CLIENT_SECRET: 's' })).toThrow(
			/PUBLIC_URL/,
		);
		const config = loadConfig({
			BITRIX24_CLIENT_ID: 'local.1',
			BITRIX24_CLIENT_SECRET: 's',
			PUBLIC_URL: 'https://nitka.shop.ru/',
		});
		expect(config.bitrix24).toEqual({
			clientId: 'local.1',
			clientSecret: 's',
			appCode: undefined,
			appUrl: 'https://nitka.shop.ru/bitrix24/app/',
			oauthServers: ['https://oauth.bitrix.info/rest/', 'https://oauth.bitrix24.tech/rest/'],
		});
	});
});
