import type {
	ConnectMarketplaceRequest,
	Marketplace,
	MarketplaceConnection,
	MarketplaceSync,
} from '@nitka/shared';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { randomToken, safeEqual } from '../../security/tokens.ts';
import { type Clock, toIso } from '../clock.ts';
import { AuthenticationError, NitkaError, NotFoundError, ValidationError } from '../errors.ts';
import { InvalidCredentialsError } from '../ports/channel-client.ts';
import type {
	MarketplaceAdapter,
	MarketplaceConnectionRef,
	PushReceipt,
	SyncState,
} from '../ports/marketplace.ts';
import { createConnection, loadConnection, loadConnectionForWebhook } from '../tenants/connections.ts';
import {
	createSyncStore,
	loadSyncState,
	newSyncState,
	saveSyncState,
	storeInboxItems,
} from './sync-store.ts';

class PlatformUnavailableError extends NitkaError {
	constructor(message: string, cause: unknown) {
		super('platform_unavailable', 502, message, { cause });
	}
}

export interface MarketplaceRuntimeOptions {
	db: Db;
	box: SecretBox;
	clock: Clock;
	logger: Logger;
	adapters: Readonly<Partial<Record<Marketplace, MarketplaceAdapter>>>;
	publicUrl: string | undefined;
	/** Pause between sweeps once a connection is idle; pushes wake it early. */
	pollMs?: number;
	/** Called when pages or pushes were stored (wakes the order worker). */
	onStored: () => void;
}

interface Running {
	abort: AbortController;
	wake: () => void;
	done: Promise<void>;
	lastError: string | null;
}

/**
 * Marketplace connections: connect with validated keys, run one poller per connection (sweeps
 * with durable cursors), accept pushes, report sync progress. Adapters come from
 * marketplaces/registry.ts through the composition root; the core names no marketplace.
 */
export class MarketplaceRuntime {
	readonly #running = new Map<string, Running>();
	readonly #pollMs: number;
	#started = false;

	constructor(private readonly o: MarketplaceRuntimeOptions) {
		this.#pollMs = o.pollMs ?? 60_000;
	}

	async connect(tenantId: string, request: ConnectMarketplaceRequest): Promise<MarketplaceConnection> {
		const adapter = this.o.adapters[request.marketplace];
		if (!adapter) throw new ValidationError(`marketplace ${request.marketplace} is not available`);
		const { marketplace, name, backfillDays, ...fields } = request;
		const { credentials, settings } = adapter.credentials(fields);
		const probe = { connectionId: '', tenantId, credentials, settings };
		const verified = await adapter.verify(probe).catch((error: unknown) => {
			if (error instanceof InvalidCredentialsError)
				throw new ValidationError(`${marketplace} rejected the keys`, [
					{ path: 'body', message: error.message },
				]);
			throw new PlatformUnavailableError(`could not check the keys with ${marketplace}`, error);
		});
		const at = this.o.clock.now();
		const connection = await createConnection(
			this.o.db,
			this.o.box,
			{
				tenantId,
				channel: marketplace,
				name: name ?? verified.name,
				credentials,
				// Neither Ozon nor Yandex Market signs pushes: a secret in the push URL's path authenticates them.
				webhookSecret: adapter.push ? randomToken(24) : null,
				settings: { ...settings, ...verified.settings },
			},
			at,
		);
		await saveSyncState(
			this.o.db,
			{ tenantId, connectionId: connection.id },
			newSyncState(at, backfillDays ?? 30),
			at,
		);
		if (this.#started) await this.#start(connection.id, tenantId);
		return await this.view(tenantId, connection.id);
	}

	async view(tenantId: string, connectionId: string): Promise<MarketplaceConnection> {
		const loaded = await loadConnection(this.o.db, this.o.box, connectionId, tenantId);
		const marketplace = loaded.connection.channel as Marketplace;
		const adapter = this.o.adapters[marketplace];
		if (!adapter) throw new NotFoundError(`marketplace connection ${connectionId}`);
		const state = await loadSyncState(this.o.db, connectionId);
		if (!state) throw new NotFoundError(`marketplace connection ${connectionId}`);
		const counts = await this.o.db
			.selectFrom('marketplace_inbox')
			.select(['status', (eb) => eb.fn.countAll<number>().as('n')])
			.where('tenant_id', '=', tenantId)
			.where('connection_id', '=', connectionId)
			.where('status', 'in', ['pending', 'quarantined'])
			.groupBy('status')
			.execute();
		const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
		const p = state.progress;
		const sync: MarketplaceSync = {
			phase: p.phase,
			backfillFrom: toIso(p.backfillFrom),
			backfillTo: toIso(p.backfillTo),
			percent: Math.round(Math.min(100, Math.max(0, p.percent)) * 10) / 10,
			ordersSeen: p.ordersSeen,
			pages: p.pages,
			backfillFinishedAt: p.backfillFinishedAt === null ? null : toIso(p.backfillFinishedAt),
			lastPollAt: p.lastPollAt === null ? null : toIso(p.lastPollAt),
			lastError: this.#running.get(connectionId)?.lastError ?? p.lastError,
			pending: count('pending'),
			quarantined: count('quarantined'),
		};
		return {
			connection: loaded.connection,
			marketplace,
			sync,
			pushUrl:
				adapter.push && loaded.webhookSecret && this.o.publicUrl
					? `${this.o.publicUrl.replace(/\/$/, '')}/hooks/marketplaces/${marketplace}/${connectionId}/${loaded.webhookSecret}`
					: null,
		};
	}

	async list(tenantId: string): Promise<MarketplaceConnection[]> {
		const rows = await this.o.db
			.selectFrom('connections')
			.select(['id'])
			.where('tenant_id', '=', tenantId)
			.where('channel', 'in', Object.keys(this.o.adapters))
			.orderBy('id')
			.execute();
		return await Promise.all(rows.map((row) => this.view(tenantId, row.id)));
	}

	/** Starts a poller for every active marketplace connection (where the workers run). */
	async start(): Promise<void> {
		this.#started = true;
		const rows = await this.o.db
			.selectFrom('connections')
			.select(['id', 'tenant_id'])
			.where('status', '=', 'active')
			.where('channel', 'in', Object.keys(this.o.adapters))
			.execute();
		for (const row of rows) {
			// One unreadable connection must not keep the others from syncing.
			await this.#start(row.id, row.tenant_id).catch((error: unknown) =>
				this.o.logger.error(
					{ connection: row.id, err: (error as Error).message },
					'marketplace sync not started',
				),
			);
		}
	}

	async stop(): Promise<void> {
		this.#started = false;
		const all = [...this.#running.values()];
		for (const run of all) run.abort.abort();
		for (const run of all) run.wake();
		await Promise.all(all.map((run) => run.done));
		this.#running.clear();
	}

	/** Something happened on the platform (a push): reconcile now instead of at the next sweep. */
	poke(connectionId: string): void {
		this.#running.get(connectionId)?.wake();
	}

	/**
	 * A push: authenticate by the URL's secret, let the adapter decide the answer, store what is to be
	 * stored (durably, before answering), and wake the poller to reconcile.
	 */
	async receivePush(
		marketplace: string,
		connectionId: string,
		secret: string,
		body: unknown,
	): Promise<PushReceipt> {
		const adapter = this.o.adapters[marketplace as Marketplace];
		if (!adapter?.push) throw new NotFoundError(`push intake for ${marketplace}`);
		const ref = await this.#ref(connectionId).catch(() => undefined);
		if (!ref || ref.channel !== marketplace || !ref.webhookSecret || !safeEqual(ref.webhookSecret, secret)) {
			throw new AuthenticationError('unknown push URL');
		}
		const at = this.o.clock.now();
		const receipt = adapter.push.receive(body, ref, at);
		if (receipt.store) {
			const stored = await storeInboxItems(
				this.o.db,
				{ tenantId: ref.tenantId, connectionId, source: marketplace },
				[receipt.store],
				at,
			);
			if (stored > 0) this.o.onStored();
			this.poke(connectionId);
		}
		return receipt;
	}

	readonly #refs = new Map<
		string,
		{ ref: MarketplaceConnectionRef & { channel: string; webhookSecret: string | null }; until: number }
	>();

	async #ref(connectionId: string) {
		const hit = this.#refs.get(connectionId);
		if (hit && hit.until > this.o.clock.now()) return hit.ref;
		// Only an active connection is found: a push to a disconnected one is an unknown push URL.
		const loaded = await loadConnectionForWebhook(this.o.db, this.o.box, connectionId);
		const ref = {
			connectionId,
			tenantId: loaded.connection.tenantId,
			credentials: loaded.credentials,
			settings: loaded.settings,
			channel: loaded.connection.channel,
			webhookSecret: loaded.webhookSecret,
		};
		this.#refs.set(connectionId, { ref, until: this.o.clock.now() + 10_000 });
		return ref;
	}

	async #start(connectionId: string, tenantId: string): Promise<void> {
		if (this.#running.has(connectionId)) return;
		const loaded = await loadConnection(this.o.db, this.o.box, connectionId, tenantId);
		const marketplace = loaded.connection.channel as Marketplace;
		const adapter = this.o.adapters[marketplace];
		if (!adapter) return;
		const abort = new AbortController();
		let wakeUp: (() => void) | undefined;
		let poked = false;
		const run: Running = {
			abort,
			lastError: null,
			wake: () => {
				poked = true;
				wakeUp?.();
			},
			done: Promise.resolve(),
		};
		const store = createSyncStore(
			this.o.db,
			{ tenantId, connectionId, source: marketplace },
			() => this.o.clock.now(),
			this.o.onStored,
		);
		const sync = adapter.sync({
			connection: { connectionId, tenantId, credentials: loaded.credentials, settings: loaded.settings },
			store,
			now: () => this.o.clock.now(),
			signal: abort.signal,
		});
		const sleep = (ms: number) =>
			new Promise<void>((resolve) => {
				if (poked || abort.signal.aborted) return resolve();
				const timer = setTimeout(resolve, ms);
				wakeUp = () => {
					clearTimeout(timer);
					resolve();
				};
			});
		run.done = (async () => {
			let failures = 0;
			while (!abort.signal.aborted) {
				poked = false;
				let next: 'more' | 'idle' = 'idle';
				try {
					next = await sync.step();
					failures = 0;
					run.lastError = null;
				} catch (error) {
					if (abort.signal.aborted) break;
					failures += 1;
					run.lastError = error instanceof Error ? error.message : String(error);
					await this.#noteError(tenantId, connectionId, run.lastError);
					this.o.logger.warn(
						{ connection: connectionId, err: run.lastError },
						'marketplace sync step failed',
					);
				}
				if (abort.signal.aborted) break;
				if (next === 'idle' || failures > 0) {
					await sleep(failures > 0 ? Math.min(this.#pollMs, 500 * 2 ** Math.min(failures, 8)) : this.#pollMs);
				}
			}
		})();
		this.#running.set(connectionId, run);
	}

	async #noteError(tenantId: string, connectionId: string, message: string): Promise<void> {
		const state: SyncState | null = await loadSyncState(this.o.db, connectionId).catch(() => null);
		if (!state) return;
		state.progress.lastError = message.slice(0, 500);
		await saveSyncState(this.o.db, { tenantId, connectionId }, state, this.o.clock.now()).catch(
			() => undefined,
		);
	}
}
