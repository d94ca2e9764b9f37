import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Identical on SQLite and PostgreSQL: ids are ULID text,
 * times are epoch milliseconds (bigint), JSON is text parsed by zod on the way out,
 * booleans are 0/1 integers.
 */
export interface Database {
	agencies: { id: string; name: string; created_at: number };
	tenants: {
		id: string;
		agency_id: string | null;
		kind: string;
		name: string;
		external_id: string;
		settings: string;
		created_at: number;
	};
	api_keys: {
		id: string;
		tenant_id: string | null;
		agency_id: string | null;
		name: string;
		secret_hash: string;
		created_at: number;
		last_used_at: number | null;
		revoked_at: number | null;
	};
	connections: {
		id: string;
		tenant_id: string;
		channel: string;
		name: string;
		status: string;
		/** SecretBox-sealed JSON of the platform credentials. */
		credentials: string;
		/** SecretBox-sealed secret the platform sends back on each webhook. */
		webhook_secret: string | null;
		settings: string;
		last_error: string | null;
		created_at: number;
		updated_at: number;
	};
	customers: {
		id: string;
		tenant_id: string;
		/** The customer this one was merged into (null while independent). */
		parent_id: string | null;
		/** The independent customer at the top of the merge tree; itself when independent. */
		root_id: string;
		name: string | null;
		name_rank: number;
		name_at: number;
		created_at: number;
		updated_at: number;
	};
	identities: {
		id: string;
		tenant_id: string;
		customer_id: string;
		type: string;
		value: string;
		verified: number;
		source: string;
		created_at: number;
	};
	events: {
		id: string;
		tenant_id: string;
		customer_id: string;
		type: string;
		channel: string;
		occurred_at: number;
		recorded_at: number;
		source_key: string;
		data: string;
	};
	merges: {
		id: string;
		tenant_id: string;
		survivor_id: string;
		merged_id: string;
		rule: string;
		evidence: string;
		created_at: number;
		undone_at: number | null;
	};
	merge_reviews: {
		id: string;
		tenant_id: string;
		customer_a: string;
		customer_b: string;
		reason: string;
		evidence: string;
		status: string;
		created_at: number;
		decided_at: number | null;
	};
	consents: {
		tenant_id: string;
		customer_id: string;
		purpose: string;
		status: string;
		source: string;
		recorded_at: number;
	};
	inbox: {
		id: string;
		tenant_id: string;
		connection_id: string | null;
		source: string;
		source_key: string;
		payload: string;
		headers: string;
		received_at: number;
		status: string;
		attempts: number;
		error: string | null;
		processed_at: number | null;
	};
	outbox: {
		id: string;
		tenant_id: string;
		target: string;
		kind: string;
		payload: string;
		dedupe_key: string | null;
		status: string;
		attempts: number;
		max_attempts: number;
		next_attempt_at: number;
		last_error: string | null;
		created_at: number;
		updated_at: number;
		/** The process delivering it right now ('running'), and until when its claim holds. */
		claimed_by: string | null;
		claimed_until: number | null;
	};
	tenant_leases: { tenant_id: string; owner: string; expires_at: number };
	/** One per customer (root) across channels; reopened when a resolved customer writes again. */
	conversations: {
		id: string;
		tenant_id: string;
		customer_id: string;
		status: string;
		assignee: string | null;
		opened_at: number;
		first_response_at: number | null;
		resolved_at: number | null;
		last_inbound_at: number | null;
		last_channel: string | null;
		created_at: number;
		updated_at: number;
	};
	/** Every messenger chat a customer wrote from: where replies go, and whether they can. */
	conversation_chats: {
		tenant_id: string;
		connection_id: string;
		chat_id: string;
		channel: string;
		customer_id: string;
		reachable: number;
		last_inbound_at: number;
		updated_at: number;
	};
	/** Single-use deep-link tokens; only a SHA-256 of the token is kept. */
	link_tokens: {
		id: string;
		tenant_id: string;
		token_hash: string;
		customer_id: string;
		order_id: string | null;
		expires_at: number;
		used_at: number | null;
		used_by: string | null;
		created_at: number;
	};
	/**
	 * Order numbers a chat named and what came of each (core/links/order-claims.ts): the per-chat
	 * throttle counts them; `status` is missed | offered | declined | awaiting-contact | review |
	 * joined | rejected (0013).
	 */
	order_claims: {
		id: string;
		tenant_id: string;
		/** `<channel>:<connection id>:<chat id>` */
		chat: string;
		/** The messenger account that answered, e.g. `telegram:424242`. */
		account: string | null;
		number: string;
		/** What the offer's link token records: an `orders` row id, or `woocommerce:<order id>`. */
		order_ref: string | null;
		/** The order's own customer (never the tree its claims may have merged it into). */
		order_customer_id: string | null;
		status: string;
		review_id: string | null;
		created_at: number;
		updated_at: number;
	};
	/** A long poller's position (Telegram offset, VK ts, MAX marker). */
	channel_cursors: { connection_id: string; tenant_id: string; cursor: string; updated_at: number };
	/** A host install (a Bitrix24 portal): endpoints it gave, tokens sealed, the admin's settings. */
	host_portals: {
		tenant_id: string;
		host: string;
		/** Bitrix24 member_id. */
		external_id: string;
		domain: string;
		client_endpoint: string;
		server_endpoint: string;
		status: string;
		/** SecretBox-sealed JSON: application token, access and refresh tokens. */
		secrets: string;
		/** Bumped on every token change: a refresh writes only over the version it read. */
		token_version: number;
		expires_at: number;
		settings: string;
		installed_at: number;
		updated_at: number;
	};
	/** Named locks shared by every process (one OAuth refresh per portal at a time). */
	host_locks: { name: string; owner: string; expires_at: number };
	/** Objects Nitka created in a host, by what they mirror (e.g. an order → its Bitrix24 deal). */
	host_records: {
		tenant_id: string;
		kind: string;
		local_key: string;
		remote_id: string;
		data: string;
		updated_at: number;
	};
	/** One marketplace order per (tenant, source, external id): its current status and customer. */
	orders: {
		id: string;
		tenant_id: string;
		source: string;
		external_id: string;
		connection_id: string | null;
		number: string;
		status: string;
		raw_status: string;
		status_at: number;
		customer_id: string;
		buyer_known: number;
		created_at: number;
		updated_at: number;
	};
	/** Polled marketplace pages and pushes, stored before they are parsed. */
	marketplace_inbox: {
		id: string;
		tenant_id: string;
		connection_id: string;
		source: string;
		source_key: string;
		payload: string;
		received_at: number;
		status: string;
		attempts: number;
		error: string | null;
		processed_at: number | null;
	};
	/** A marketplace connection's poller position and backfill progress (JSON). */
	marketplace_sync: { connection_id: string; tenant_id: string; state: string; updated_at: number };
	/** One-time codes that pair a WooCommerce shop (only a SHA-256 of the code is kept). */
	woocommerce_pairing_codes: {
		id: string;
		code_hash: string;
		tenant_id: string | null;
		agency_id: string | null;
		expires_at: number;
		used_at: number | null;
		created_at: number;
	};
	/** A paired WooCommerce site; `secret` is SecretBox-sealed. One active site per tenant. */
	woocommerce_sites: {
		id: string;
		tenant_id: string;
		site_url: string;
		callback_url: string | null;
		secret: string;
		plugin_version: string | null;
		status: string;
		last_event_at: number | null;
		verified_at: number | null;
		created_at: number;
	};
	/** Nonces of signed requests inside the replay window. */
	woocommerce_nonces: { site_id: string; nonce: string; seen_at: number };
	/** A tenant's stores and pickup points (docs/counter.md). */
	locations: {
		id: string;
		tenant_id: string;
		name: string;
		address: string | null;
		/** 'store' | 'pickup_point' */
		kind: string;
		active: number;
		created_at: number;
		updated_at: number;
	};
	/** A tablet or till at one location; only a SHA-256 of its key is kept. */
	counter_devices: {
		id: string;
		tenant_id: string;
		location_id: string;
		name: string;
		key_hash: string;
		created_at: number;
		last_seen_at: number | null;
		revoked_at: number | null;
	};
	/** Spent single-use QR tokens; rows may be swept once expired. */
	counter_token_uses: {
		tenant_id: string;
		jti: string;
		kind: string;
		device_id: string | null;
		used_at: number;
		expires_at: number;
	};
	/** Idempotent counter actions: the first response to each (device, Idempotency-Key). */
	counter_actions: {
		tenant_id: string;
		device_id: string;
		action_id: string;
		request_hash: string;
		/** HTTP status of the stored response. */
		status: number;
		/** JSON of the response body. */
		response: string;
		created_at: number;
	};
	promo_campaigns: {
		id: string;
		tenant_id: string;
		name: string;
		offer: string | null;
		status: string;
		settings: string;
		starts_at: number | null;
		expires_at: number | null;
		created_at: number;
		updated_at: number;
		/** When codes were last issued to the campaign's segment (0009). */
		issued_at: number | null;
	};
	/** Personal promo codes; a code is unique per tenant and redeemed once. */
	promo_codes: {
		id: string;
		tenant_id: string;
		campaign_id: string | null;
		customer_id: string | null;
		code: string;
		issued_at: number;
		expires_at: number | null;
		redeemed_at: number | null;
		redeemed_location_id: string | null;
		redeemed_device_id: string | null;
		/** 'segment' | 'request' | 'follow-up' (0009); unique per (campaign, customer). */
		source: string | null;
		/** When the thank-you after its redemption is due; null once enqueued, or none planned (0009). */
		thank_you_at: number | null;
	};
	/** A chat's ordering conversation and what came of it (journey 1, 0008). */
	chat_orders: {
		id: string;
		tenant_id: string;
		customer_id: string;
		channel: string;
		connection_id: string;
		chat_id: string;
		/** browsing | quantity | location | confirm | placing | placed | failed | cancelled */
		state: string;
		shown: string;
		pending: string | null;
		items: string;
		location_id: string | null;
		host: string | null;
		order_id: string | null;
		number: string | null;
		error: string | null;
		created_at: number;
		updated_at: number;
		placed_at: number | null;
	};
	/** An order (orders.id) to be collected at a location. */
	order_pickups: {
		tenant_id: string;
		order_id: string;
		location_id: string;
		customer_id: string;
		/** 'to_prepare' | 'ready' | 'collected' | 'cancelled' */
		state: string;
		created_at: number;
		updated_at: number;
		ready_at: number | null;
		collected_at: number | null;
		cancelled_at: number | null;
		collected_device_id: string | null;
		/** The order's items (JSON `OrderItem[]`) and total, for the counter (0014). */
		items: Generated<string>;
		total: string | null;
		currency: string | null;
	};
	/** A customer's return: requested, approved (a return QR is issued), received at the counter. */
	returns: {
		id: string;
		tenant_id: string;
		customer_id: string;
		order_id: string | null;
		/** 'requested' | 'approved' | 'received' | 'rejected' */
		state: string;
		reason: string | null;
		/** JSON array of OrderItem. */
		items: string;
		total: string | null;
		currency: string | null;
		host: string | null;
		host_ticket_id: string | null;
		host_ticket_url: string | null;
		deadline_at: number | null;
		created_at: number;
		updated_at: number;
		approved_at: number | null;
		received_at: number | null;
		received_location_id: string | null;
		/** `R-…`, what the customer and the shop call it (0010). */
		number: string | null;
		/** The chat the return was asked in; its answers go there (0010). */
		channel: string | null;
		connection_id: string | null;
		chat_id: string | null;
		/** `bitrix24:task:<id>`, `api`… (0010). */
		approved_by: string | null;
	};
	/** A return being asked for in a chat: which order, then the reason (0010). */
	return_dialogs: {
		tenant_id: string;
		channel: string;
		connection_id: string;
		chat_id: string;
		customer_id: string;
		order_id: string | null;
		/** 'choose_order' | 'reason' */
		step: string;
		created_at: number;
		expires_at: number;
	};
	/** The tenant's return ticket settings (ReturnSettings JSON) (0010). */
	return_settings: {
		tenant_id: string;
		settings: string;
		updated_at: number;
	};
}
