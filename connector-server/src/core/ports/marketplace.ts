import type { BuyerCompany, IdentifierInput, Marketplace, OrderStatus } from '@nitka/shared';

/**
 * What a marketplace says about one order at one moment: a row of a polled page or a push.
 * The core keeps one order per (tenant, source, externalId) and turns changes into timeline events.
 */
export interface OrderObservation {
	/** Posting number, assembly task id, order id: unique within the marketplace. */
	externalId: string;
	/** What the seller and the buyer call it. */
	number: string;
	/** The shared lifecycle status; null when a push only says the order exists. */
	status: OrderStatus | null;
	/** The marketplace's own status, kept beside the shared one. */
	rawStatus: string;
	/** When the status was set (a push's change time) or seen (a page's fetch time). */
	statusAt: number;
	createdAt: number;
	/**
	 * Marketplace-scoped buyer identifiers (never a substitute phone) and a display name; a business
	 * buyer's requisites (its INN is also among the identifiers).
	 */
	buyer?: { identifiers: IdentifierInput[]; name?: string | undefined; company?: BuyerCompany | undefined };
	items?: { sku?: string; name: string; quantity: number; price: string }[];
	/** Decimal string in major units. */
	total?: string;
	currency?: string;
	/**
	 * A push: it moves an order already known but never creates one, since it lacks the order's
	 * details; the reconciling poll it triggers creates the order in full.
	 */
	partial?: boolean;
}

/** A marketplace connection as its adapter sees it: keys opened, settings parsed. */
export interface MarketplaceConnectionRef {
	connectionId: string;
	tenantId: string;
	credentials: Record<string, string>;
	settings: Record<string, unknown>;
}

/** Backfill progress, saved with every page so it survives restarts. */
export interface SyncProgress {
	phase: 'backfill' | 'live';
	backfillFrom: number;
	backfillTo: number;
	percent: number;
	ordersSeen: number;
	pages: number;
	backfillFinishedAt: number | null;
	lastPollAt: number | null;
	lastError: string | null;
}

/** The poller's own position (JSON) and its progress. */
export interface SyncState {
	cursor: Record<string, unknown>;
	progress: SyncProgress;
}

/** A page of raw platform data to store before anything parses it. */
export interface StoredPage {
	/** Unique per tenant; a page with the same content hashes to the same key, so re-polls are no-ops. */
	sourceKey: string;
	payload: unknown;
}

/**
 * Durable state of one connection's sync. `commit` stores pages and the next state in one
 * transaction: a crash between fetching and committing refetches the page, never skips it.
 */
export interface SyncStore {
	load(): Promise<SyncState | null>;
	commit(pages: StoredPage[], state: SyncState): Promise<void>;
	/** Which of these orders already have their buyer (so buyer-info quota is spent once per order). */
	knownBuyers(externalIds: string[]): Promise<Set<string>>;
}

export interface SyncContext {
	connection: MarketplaceConnectionRef;
	store: SyncStore;
	now(): number;
	/** Aborted when the connection stops; long waits must honour it. */
	signal: AbortSignal;
}

/** One connection's poller: the runtime calls `step` in a loop and sleeps when it answers `idle`. */
export interface MarketplaceSync {
	step(): Promise<'more' | 'idle'>;
}

/** An answer to a push, decided before anything is parsed. */
export interface PushReceipt {
	status: number;
	body: unknown;
	/** Stored before the answer is sent (a ping stores nothing). */
	store?: StoredPage;
}

/**
 * A marketplace adapter: keys, polling, parsing of stored payloads, and pushes where the platform
 * sends them. Registered once in marketplaces/registry.ts.
 *
 * How to extend: add a folder under marketplaces/ with zod schemas for every response, an adapter
 * built on marketplaces/common, a registry line, and tests against its emulator.
 */
export interface MarketplaceAdapter {
	marketplace: Marketplace;
	/** Turns the API request's fields into credentials and settings (no network). */
	credentials(input: Record<string, unknown>): {
		credentials: Record<string, string>;
		settings: Record<string, unknown>;
	};
	/** A cheap authenticated call; throws InvalidCredentialsError when the platform refuses the keys. */
	verify(connection: MarketplaceConnectionRef): Promise<{ name: string; settings: Record<string, unknown> }>;
	sync(context: SyncContext): MarketplaceSync;
	/** A stored page or push → observations; throws UnparseablePayloadError for what never parses. */
	parse(payload: unknown): OrderObservation[];
	push?: {
		/** The path suffix the platform appends to the URL it was given (Yandex Market: `/notification`). */
		suffix: string;
		receive(body: unknown, connection: MarketplaceConnectionRef, now: number): PushReceipt;
	};
}
