import { Router } from 'express';
import { wbBadRequest } from './errors.ts';
import type { WbState } from './state.ts';
import type { WbOrder } from './types.ts';

const MAX_ROWS = 80_000;
const MSK_OFFSET_MS = 3 * 3_600_000;

/** RFC3339 in Moscow time without an offset, as the statistics API writes dates. */
const moscow = (ms: number) => new Date(ms + MSK_OFFSET_MS).toISOString().slice(0, 19);

function row(o: WbOrder) {
	const cancelled = o.wbStatus.startsWith('cancel') || o.supplierStatus === 'cancel';
	return {
		date: moscow(o.createdAt),
		lastChangeDate: moscow(o.statusChangedAt),
		warehouseName: o.deliveryType === 'dbs' ? 'Склад продавца' : 'Маркетплейс',
		warehouseType: 'Склад продавца',
		countryName: 'Россия',
		oblastOkrugName: 'Центральный федеральный округ',
		regionName: o.region,
		supplierArticle: o.article,
		nmId: o.nmId,
		barcode: o.skus[0] ?? '',
		category: 'Дом',
		subject: o.subject,
		brand: o.brand,
		techSize: '0',
		incomeID: 0,
		isSupply: false,
		isRealization: true,
		totalPrice: o.price / 100,
		discountPercent: 0,
		spp: 0,
		finishedPrice: o.finalPrice / 100,
		priceWithDisc: o.salePrice / 100,
		isCancel: cancelled,
		cancelDate: cancelled ? moscow(o.statusChangedAt) : '0001-01-01T00:00:00',
		sticker: '',
		gNumber: o.orderUid,
		srid: o.rid,
	};
}

/**
 * GET /api/v1/supplier/orders (research §6.5): rows changed since `dateFrom` (Moscow time), or with `flag=1`
 * all orders of that date; page by passing the last row's `lastChangeDate`.
 */
export function statisticsRoutes(state: WbState): Router {
	const router = Router();
	router.get('/api/v1/supplier/orders', (req, res) => {
		const raw = typeof req.query.dateFrom === 'string' ? req.query.dateFrom : '';
		// A bare date or a date-time without an offset is Moscow time.
		const full = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00` : raw;
		const from = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(full) ? full : `${full}+03:00`);
		if (!raw || Number.isNaN(from)) return wbBadRequest(res, 'dateFrom: RFC3339 date is required');
		const flag = req.query.flag === '1';
		const dayEnd = from + 86_400_000;
		const rows = [...state.orders.values()]
			.filter((o) =>
				flag
					? o.createdAt >= from && o.createdAt < dayEnd
					: Math.floor(o.statusChangedAt / 1000) * 1000 >= from,
			)
			.sort((a, b) => a.statusChangedAt - b.statusChangedAt)
			.slice(0, MAX_ROWS);
		res.json(rows.map(row));
	});
	return router;
}
