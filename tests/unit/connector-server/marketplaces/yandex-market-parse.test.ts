import { describe, expect, it } from 'vitest';
import { parseYandexMarket } from '../../../../connector-server/src/marketplaces/yandex-market/parse.ts';

const order = (orderId: number, extra: Record<string, unknown> = {}) => ({
	orderId,
	campaignId: 2002,
	programType: 'FBS',
	status: 'PROCESSING',
	substatus: 'STARTED',
	creationDate: '2026-11-20T10:00:00+03:00',
	items: [],
	...extra,
});

describe('Yandex Market page parsing: who bought', () => {
	it('a business buyer is a company: its INN is the identifier, its organisation the name, its KPP on the order; KPP and phone are never identifiers', () => {
		const [company, dbsCompany, person, badInn] = parseYandexMarket({
			kind: 'ym-page',
			fetchedAt: Date.parse('2026-11-20T08:00:00Z'),
			orders: [
				order(1, { buyerType: 'BUSINESS' }),
				order(2, { programType: 'DBS', campaignId: 2001 }),
				order(3, { programType: 'DBS', campaignId: 2001 }),
				order(4, { buyerType: 'BUSINESS' }),
			],
			buyers: [
				{ orderId: 2, buyer: { id: 'ym-7', type: 'BUSINESS', phone: '+79001234567' } },
				{
					orderId: 3,
					buyer: {
						id: 'ym-8',
						type: 'PERSON',
						lastName: 'Смирнова',
						firstName: 'Анна',
						phone: '+79007654321',
					},
				},
			],
			businessBuyers: [
				{ orderId: 1, buyer: { inn: '7707083893', kpp: '773601001', organizationName: 'ООО «Ромашка»' } },
				{ orderId: 2, buyer: { inn: '500100732259', organizationName: 'ИП Петров' } },
				{ orderId: 4, buyer: { inn: '77-07', kpp: '773601001', organizationName: 'ООО «Опечатка»' } },
			],
		});
		expect(company?.buyer).toEqual({
			identifiers: [{ type: 'inn', value: '7707083893' }],
			name: 'ООО «Ромашка»',
			company: { inn: '7707083893', kpp: '773601001', name: 'ООО «Ромашка»' },
		});
		expect(dbsCompany?.buyer).toEqual({
			identifiers: [
				{ type: 'yandex_market_buyer', value: 'ym-7' },
				{ type: 'inn', value: '500100732259' },
			],
			name: 'ИП Петров',
			// A sole trader has no KPP.
			company: { inn: '500100732259', name: 'ИП Петров' },
		});
		expect(person?.buyer).toEqual({
			identifiers: [{ type: 'yandex_market_buyer', value: 'ym-8' }],
			name: 'Смирнова Анна',
		});
		// An INN that is not 10 or 12 digits names nobody: the order stays anonymous.
		expect(badInn?.buyer).toBeUndefined();
		const all = JSON.stringify([company, dbsCompany, person, badInn]);
		expect(all).not.toContain('phone');
		expect(JSON.stringify([company, dbsCompany].map((o) => o?.buyer?.identifiers))).not.toContain(
			'773601001',
		);
	});

	it('pages stored before business buyers were fetched still parse', () => {
		const [o] = parseYandexMarket({ kind: 'ym-page', fetchedAt: 0, orders: [order(5)], buyers: [] });
		expect(o).toMatchObject({ externalId: '5', status: 'awaiting_packaging' });
		expect(o?.buyer).toBeUndefined();
	});
});
