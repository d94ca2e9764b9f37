import {
	CounterDeviceSchema,
	type CounterLocation,
	CounterLocationSchema,
	CreatedCounterDeviceSchema,
} from '@nitka/shared';
import { z } from 'zod';
import type { ConnectorApi } from '../connector/connector-api.ts';

/** The demo shop's floor: a store and a pickup point, each with one counter tablet. */
export const demoLocations = {
	store: { name: 'Магазин на Покровке', address: 'Москва, Покровка, 12', kind: 'store' },
	pickupPoint: {
		name: 'Пункт выдачи на Ленина',
		address: 'Москва, Ленинский пр-т, 30',
		kind: 'pickup_point',
	},
} as const;
export type DemoLocationId = keyof typeof demoLocations;

const DEVICE_NAME = 'Демо-касса';

export interface DemoCounterDevice {
	location: CounterLocation;
	/** The tablet's key (`nkc_…`), in memory only: issued each start, the previous run's revoked. */
	key: string;
	/** The counter screen, paired by the key in the URL fragment (never sent to a server). */
	screenUrl: string;
}

export type DemoCounter = Record<DemoLocationId, DemoCounterDevice>;

const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * Makes the locations if an earlier run did not (admin API, as a shop does in its settings) and
 * gives each a fresh counter device: a key's plaintext is shown once, so each start issues one and
 * revokes the demo devices of earlier runs (a tablet still holding an old key is sent back to
 * pairing, and the page's link pairs it again).
 */
export async function ensureDemoCounter(api: ConnectorApi, connectorUrl: string): Promise<DemoCounter> {
	const { items } = await api.call('GET', '/locations', Items(CounterLocationSchema));
	const entries = await Promise.all(
		(Object.entries(demoLocations) as [DemoLocationId, (typeof demoLocations)[DemoLocationId]][]).map(
			async ([id, wanted]) => {
				const location =
					items.find((l) => l.name === wanted.name && l.active) ??
					(await api.call('POST', '/locations', CounterLocationSchema, wanted));
				const devices = await api.call(
					'GET',
					`/locations/${location.id}/devices`,
					Items(CounterDeviceSchema),
				);
				for (const device of devices.items) {
					if (device.name === DEVICE_NAME && !device.revokedAt)
						await api.call('DELETE', `/devices/${device.id}`, CounterDeviceSchema);
				}
				const { key } = await api.call(
					'POST',
					`/locations/${location.id}/devices`,
					CreatedCounterDeviceSchema,
					{
						name: DEVICE_NAME,
					},
				);
				const device: DemoCounterDevice = {
					location,
					key,
					screenUrl: `${connectorUrl}/counter/#key=${encodeURIComponent(key)}`,
				};
				return [id, device] as const;
			},
		),
	);
	return Object.fromEntries(entries) as DemoCounter;
}
