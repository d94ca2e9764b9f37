import { describe, expect, it } from 'vitest';
import {
	isLocalConnector,
	parseInstall,
	portalEndpoint,
} from '../../../../../connector-server/src/hosts/bitrix24/install.ts';

const deployed = { allowLoopback: false };
const local = { allowLoopback: true };

describe('Bitrix24 install: the REST endpoint comes from the domain only', () => {
	it('derives https://<domain>/rest/ from a bare host name', () => {
		expect(portalEndpoint('Shop.Bitrix24.RU', deployed)).toEqual({
			domain: 'shop.bitrix24.ru',
			endpoint: 'https://shop.bitrix24.ru/rest/',
		});
		expect(portalEndpoint('crm.example.com:8443', deployed).endpoint).toBe(
			'https://crm.example.com:8443/rest/',
		);
	});

	it.each([
		'evil.example/rest/',
		'user:pass@shop.bitrix24.ru',
		'https://shop.bitrix24.ru',
		'shop.bitrix24.ru?x=1',
		'shop.bitrix24.ru#x',
		'intranet',
		'shop.bitrix24.ru:99999',
		'',
	])('refuses %j', (domain) => {
		expect(() => portalEndpoint(domain, deployed)).toThrow(/host name/);
	});

	it('admits loopback portals (http) only for a local connector', () => {
		expect(() => portalEndpoint('127.0.0.1:4000', deployed)).toThrow(/loopback/);
		expect(() => portalEndpoint('localhost:4000', deployed)).toThrow(/loopback/);
		expect(portalEndpoint('127.0.0.1:4000', local).endpoint).toBe('http://127.0.0.1:4000/rest/');
		expect(isLocalConnector(undefined)).toBe(true);
		expect(isLocalConnector('http://127.0.0.1:3000')).toBe(true);
		expect(isLocalConnector('https://nitka.example.com')).toBe(false);
	});

	it('refuses an ONAPPINSTALL whose client_endpoint is not its domain’s', () => {
		const body = (clientEndpoint: string) =>
			new URLSearchParams({
				event: 'ONAPPINSTALL',
				'auth[domain]': 'shop.bitrix24.ru',
				'auth[member_id]': 'm1',
				'auth[application_token]': 'app',
				'auth[access_token]': 'at',
				'auth[refresh_token]': 'rt',
				'auth[server_endpoint]': 'https://oauth.bitrix.info/rest/',
				'auth[client_endpoint]': clientEndpoint,
			}).toString();
		expect(() => parseInstall(body('https://evil.example/rest/'), {}, 0, deployed)).toThrow(
			/client_endpoint/,
		);
		expect(parseInstall(body('https://shop.bitrix24.ru/rest/'), {}, 0, deployed).clientEndpoint).toBe(
			'https://shop.bitrix24.ru/rest/',
		);
	});
});
