import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSyncState } from '../../../../connector-server/src/core/orders/sync-store.ts';
import type {
	StoredPage,
	SyncState,
	SyncStore,
} from '../../../../connector-server/src/core/ports/marketplace.ts';
import { createOzonSync } from '../../../../connector-server/src/marketplaces/ozon/sync.ts';
import {
	type OzonEmulator,
	ozonDefaultCredentials,
	startOzonEmulator,
} from '../../../emulators/ozon/index.ts';
import { eventually } from '../../../support/server.ts';

const DAY = 86_400_000;
const listCalls = (ozon: OzonEmulator) =>
	ozon.requests.all().filter((r) => r.path.includes('/posting/')).length;

/** A sync store whose commits wait until the test lets them through (a database busy elsewhere). */
function gatedStore(state: SyncState) {
	const committed: StoredPage[][] = [];
	let release: (() => void) | undefined;
	const store: SyncStore = {
		load: async () => state,
		commit: async (pages) => {
			await new Promise<void>((resolve) => {
				release = resolve;
			});
			committed.push(pages);
		},
		knownBuyers: async () => new Set(),
	};
	return { store, committed, release: () => release?.() };
}

describe('Ozon posting walk: the next page is asked for while this one is stored', () => {
	let ozon: OzonEmulator;
	beforeEach(async () => {
		ozon = await startOzonEmulator();
		const now = Date.now();
		ozon.seller.generate(2_500, { since: now - 20 * DAY, until: now - DAY });
	});
	afterEach(async () => {
		await ozon.close();
	});

	const start = () => {
		const state = newSyncState(Date.now(), 30);
		const gate = gatedStore(state);
		const sync = createOzonSync(
			{
				connection: {
					connectionId: 'conn-1',
					tenantId: 'tenant-1',
					credentials: { ...ozonDefaultCredentials },
					settings: {},
				},
				store: gate.store,
				now: () => Date.now(),
				signal: new AbortController().signal,
			},
			ozon.url,
		);
		return { sync, gate };
	};

	it('asks once per page: page 2 goes out during page 1’s commit and step 2 uses it', async () => {
		const { sync, gate } = start();
		const first = sync.step();
		// Page 1 fetched and committing; page 2 already asked for.
		await eventually(async () => (listCalls(ozon) === 2 ? true : undefined));
		gate.release();
		expect(await first).toBe('more');
		const second = sync.step();
		await eventually(async () => (listCalls(ozon) === 3 ? true : undefined));
		gate.release();
		expect(await second).toBe('more');
		// Two different pages, each stored once.
		const keys = gate.committed.map((pages) => pages[0]?.sourceKey);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(2);
	});

	it('a page asked for ahead that failed fails the next step, which the retry asks again', async () => {
		const { sync, gate } = start();
		const first = sync.step();
		await eventually(async () => (listCalls(ozon) === 1 ? true : undefined));
		// The request for page 2, sent while page 1 is stored, meets an error the client does not
		// retry by itself (a 5xx it would).
		ozon.faults.add({ match: /posting\/fbs\/list/, fault: { kind: 'status', status: 400 }, times: 1 });
		await eventually(async () => (listCalls(ozon) === 2 ? true : undefined));
		gate.release();
		expect(await first).toBe('more');
		await expect(sync.step()).rejects.toThrow();
		const retry = sync.step();
		await eventually(async () => (listCalls(ozon) === 4 ? true : undefined));
		gate.release();
		expect(await retry).toBe('more');
		expect(gate.committed).toHaveLength(2);
	});
});
