/** Types of the connector API: shared ones from @nitka/shared (types only, nothing bundled), plus arriving routes. */
export type {
	Connection,
	ConnectionChannel,
	Customer,
	EventChannel,
	EventType,
	Identity,
	Marketplace,
	MergeReview,
	MessagingChannel,
	OrderStatus,
	OutboxJob,
	QuarantineItem,
	ReplyResult,
	TimelineEvent,
} from '@nitka/shared';

import type { Connection, Customer, Marketplace, TimelineEvent } from '@nitka/shared';

export interface Page<T> {
	items: T[];
	next: string | null;
}

export type TimelinePage = Page<TimelineEvent>;

/** A connection as the health route reports it: the newest inbox item and the oldest one waiting. */
export interface ConnectionHealth extends Connection {
	lastEventAt: string | null;
	/** Age of the oldest unprocessed inbox item, seconds; 0 when none waits. */
	lagSeconds: number;
	errors?: number | null;
	deadLetters?: number | null;
}

export interface TenantHealth {
	connections: ConnectionHealth[];
	/** `oldestPendingSeconds`: age of the oldest delivery still waiting; 0 when none. */
	outbox: { pending: number; done: number; dead: number; oldestPendingSeconds: number };
	quarantined: number;
}

export interface ConnectResult {
	connection: Connection;
	mode: 'webhook' | 'polling';
}

export interface LinkResult {
	token: string;
	customerId: string;
	expiresAt: string;
	links: { channel: string; connectionId: string; url: string }[];
}

/** An open line as `imopenlines.config.list.get` names it. */
export interface OpenLine {
	ID: string;
	LINE_NAME: string;
	ACTIVE?: string;
}

/** The tenant's Bitrix24 settings; saved whole (PUT), so unknown parts are sent back as they came. */
export interface Bitrix24Settings {
	openLineId: string | null;
	deals?: { categoryId: number; stages: Record<string, Record<string, string>> };
}

/** Where a marketplace's order sync stands (backfill, then live polling). */
export interface MarketplaceSync {
	phase: 'backfill' | 'live';
	percent: number;
	ordersSeen: number;
	lastPollAt: string | null;
	lastError: string | null;
	pending: number;
	quarantined: number;
}

export interface MarketplaceConnection {
	connection: Connection;
	marketplace: Marketplace;
	sync: MarketplaceSync;
	/** Paste into the marketplace's push settings; null where it has none. */
	pushUrl: string | null;
}

export interface CustomerLookup {
	customer: Customer;
	/** For a deal Nitka made from a marketplace order: that order. */
	order?: DealOrder | null;
}

/** The marketplace order a deal stands for (its ORIGIN_ID). */
export interface DealOrder {
	source: string;
	orderId: string;
}

/** CRM entity types with a detail tab. */
export type CrmEntityType = 'contact' | 'deal' | 'lead';
