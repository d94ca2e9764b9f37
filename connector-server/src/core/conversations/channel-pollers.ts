import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { sha256Hex } from '../../security/tokens.ts';
import type { Clock } from '../clock.ts';
import type { InboxWriter } from '../inbox/inbox-writer.ts';
import { acquireLease } from '../outbox/tenant-lease.ts';
import type { ChannelAdapter } from '../ports/channel.ts';
import type {
	ChannelClient,
	ConnectedChannel,
	CursorStore,
	Poller,
	UpdateSink,
} from '../ports/channel-client.ts';
import { loadConnection } from '../tenants/connections.ts';

export interface PollerDeps {
	db: Db;
	box: SecretBox;
	clock: Clock;
	logger: Logger;
	clients: Readonly<Partial<Record<string, ChannelClient>>>;
	adapters: Readonly<Partial<Record<string, ChannelAdapter>>>;
	inbox: () => InboxWriter;
	/** This process's name in leases (the outbox's worker id). */
	owner: string;
	/** How long a poller lease lives without renewal; a dead holder's pollers move after this. */
	leaseTtlMs?: number;
}

/** Poller leases share the outbox's lease rows, in their own key space. */
const leaseKey = (connectionId: string) => `poller:${connectionId}`;

/**
 * Long polling for installs without a public URL. Each poller hands updates to a sink that writes
 * them to the same durable inbox as webhooks (deduplicated by the same source key); the poller
 * advances its platform cursor only after the sink resolved, so a crash loses nothing.
 *
 * With several processes on one database, a connection is polled by the process holding its lease
 * (two getUpdates consumers of one bot collide). Every process renews its leases and looks for
 * unheld ones every third of the lease time; a process that stops renewing (a crash) loses its
 * connections to the others once the lease expires, and one that finds its lease taken stops.
 */
export class ChannelPollers {
	readonly #running = new Map<string, Poller>();
	readonly #ttlMs: number;
	#timer: NodeJS.Timeout | undefined;
	#round: Promise<void> = Promise.resolve();
	#active = false;

	constructor(private readonly deps: PollerDeps) {
		this.#ttlMs = deps.leaseTtlMs ?? 30_000;
	}

	/** Polls what this process can lease now, then keeps its leases and picks up unheld ones. */
	async startAll(): Promise<void> {
		this.#active = true;
		await this.#reconcile();
		const tick = () => {
			this.#round = this.#reconcile().catch((error: unknown) =>
				this.deps.logger.warn({ err: (error as Error).message }, 'poller lease round failed'),
			);
			this.#timer = setTimeout(() => void this.#round.then(tick), this.#ttlMs / 3);
		};
		this.#timer = setTimeout(tick, this.#ttlMs / 3);
	}

	/** The connections of this process that are currently polled (for health and tests). */
	get polling(): string[] {
		return [...this.#running.keys()];
	}

	async #reconcile(): Promise<void> {
		const { db, clock } = this.deps;
		const rows = await db
			.selectFrom('connections')
			.select(['id', 'tenant_id', 'channel', 'settings'])
			.where('status', '=', 'active')
			.execute();
		const wanted = new Set<string>();
		for (const row of rows) {
			if (!this.#active) return;
			if (!this.deps.clients[row.channel]) continue;
			const settings = JSON.parse(row.settings) as Record<string, unknown>;
			if (settings.mode !== 'polling') continue;
			wanted.add(row.id);
			const held = await acquireLease(db, leaseKey(row.id), this.deps.owner, clock.now(), this.#ttlMs);
			if (!held) {
				// Another process holds it (or took it over while this one stalled): never poll twice.
				if (this.#running.has(row.id)) await this.#stopPoller(row.id);
				continue;
			}
			if (this.#running.has(row.id)) continue;
			// One unreadable connection must not keep the server (and every other poller) from starting.
			try {
				const loaded = await loadConnection(db, this.deps.box, row.id, row.tenant_id);
				this.#startPoller(row.channel, {
					connectionId: row.id,
					tenantId: row.tenant_id,
					credentials: loaded.credentials,
					settings: loaded.settings,
					webhookSecret: loaded.webhookSecret,
				});
			} catch (error) {
				this.deps.logger.error({ connection: row.id, err: (error as Error).message }, 'poller not started');
			}
		}
		for (const id of this.#running.keys()) if (!wanted.has(id)) await this.stop(id);
	}

	/** A connection switched to polling: start here when this process can lease it. */
	async start(channel: string, connection: ConnectedChannel): Promise<void> {
		// A process that runs no workers leaves polling to those that do (their next round finds it).
		if (!this.#active || this.#running.has(connection.connectionId)) return;
		const { db, clock, owner } = this.deps;
		if (!(await acquireLease(db, leaseKey(connection.connectionId), owner, clock.now(), this.#ttlMs))) return;
		this.#startPoller(channel, connection);
	}

	#startPoller(channel: string, connection: ConnectedChannel): void {
		const client = this.deps.clients[channel];
		const adapter = this.deps.adapters[channel];
		if (!client || !adapter || this.#running.has(connection.connectionId)) return;
		const target = { ...connection };
		const sink: UpdateSink = async (payload) => {
			const raw = JSON.stringify(payload);
			let sourceKey: string;
			try {
				sourceKey = adapter.intake.sourceKey(payload, target);
			} catch {
				// Still stored: the inbox worker quarantines it visibly instead of the poller dropping it.
				sourceKey = `${channel}:${connection.connectionId}:unkeyed:${sha256Hex(raw)}`;
			}
			await this.deps.inbox().accept({
				tenantId: connection.tenantId,
				connectionId: connection.connectionId,
				source: channel,
				sourceKey,
				payload: raw,
			});
		};
		this.#running.set(
			connection.connectionId,
			client.poll(connection, sink, this.#cursor(connection), (error) =>
				this.deps.logger.warn(
					{ channel, connection: connection.connectionId, err: (error as Error).message },
					'poll round failed; retrying',
				),
			),
		);
		this.deps.logger.info({ channel, connection: connection.connectionId }, 'long polling started');
	}

	async #stopPoller(connectionId: string): Promise<void> {
		const poller = this.#running.get(connectionId);
		this.#running.delete(connectionId);
		await poller?.stop();
	}

	/** Stops polling a connection and gives its lease up at once. */
	async stop(connectionId: string): Promise<void> {
		await this.#stopPoller(connectionId);
		await this.deps.db
			.deleteFrom('tenant_leases')
			.where('tenant_id', '=', leaseKey(connectionId))
			.where('owner', '=', this.deps.owner)
			.execute();
	}

	/** Shutdown: no more rounds, every poller stopped, every lease handed to the other processes. */
	async stopAll(): Promise<void> {
		this.#active = false;
		clearTimeout(this.#timer);
		await this.#round;
		clearTimeout(this.#timer);
		await Promise.all([...this.#running.keys()].map((id) => this.stop(id)));
	}

	#cursor(connection: ConnectedChannel): CursorStore {
		const { db, clock } = this.deps;
		return {
			load: async () =>
				(
					await db
						.selectFrom('channel_cursors')
						.select('cursor')
						.where('connection_id', '=', connection.connectionId)
						.executeTakeFirst()
				)?.cursor ?? null,
			save: async (cursor) => {
				await db
					.insertInto('channel_cursors')
					.values({
						connection_id: connection.connectionId,
						tenant_id: connection.tenantId,
						cursor,
						updated_at: clock.now(),
					})
					.onConflict((oc) => oc.column('connection_id').doUpdateSet({ cursor, updated_at: clock.now() }))
					.execute();
			},
		};
	}
}
