import type { Http } from './http.ts';
import type {
	Bitrix24Settings,
	ConnectResult,
	CrmEntityType,
	Customer,
	CustomerLookup,
	EventChannel,
	EventType,
	LinkResult,
	MarketplaceConnection,
	MergeReview,
	MessagingChannel,
	OpenLine,
	OutboxJob,
	Page,
	QuarantineItem,
	ReplyResult,
	TenantHealth,
	TimelinePage,
} from './types.ts';

export interface TimelineFilter {
	channel?: readonly EventChannel[];
	type?: readonly EventType[];
}

/** Seller keys as each marketplace names them (ConnectMarketplaceRequest in @nitka/shared). */
export type MarketplaceCredentials =
	| { marketplace: 'ozon'; clientId: string; apiKey: string }
	| { marketplace: 'wildberries'; token: string }
	| { marketplace: 'yandex-market'; apiKey: string; businessId: number };

/** Every connector route the app uses, scoped to the session's tenant. */
export function createConnectorApi(http: Http, tenantId: () => string) {
	const t = () => `/api/v1/tenants/${encodeURIComponent(tenantId())}`;
	const id = encodeURIComponent;
	return {
		customerOfEntity: (type: CrmEntityType, entityId: string) =>
			http.request<CustomerLookup>(`${t()}/bitrix24/entities/${type}/${id(entityId)}/customer`),
		customer: (customerId: string) => http.request<Customer>(`${t()}/customers/${id(customerId)}`),
		timeline: (customerId: string, filter: TimelineFilter, cursor?: string, limit = 30) =>
			http.request<TimelinePage>(`${t()}/customers/${id(customerId)}/timeline`, {
				query: { limit, cursor, channel: filter.channel, type: filter.type },
			}),
		reply: (customerId: string, text: string, idempotencyKey: string, channel?: MessagingChannel) =>
			http.request<ReplyResult>(`${t()}/customers/${id(customerId)}/replies`, {
				method: 'POST',
				body: { text, channel, origin: 'bitrix24', idempotencyKey },
			}),
		issueLink: (customerId: string) =>
			http.request<LinkResult>(`${t()}/links`, { method: 'POST', body: { customerId } }),
		unlinkIdentity: (customerId: string, identityId: string) =>
			http.request<void>(`${t()}/customers/${id(customerId)}/identities/${id(identityId)}`, {
				method: 'DELETE',
			}),
		mediaUrl: (eventId: string, index: number) => `${t()}/events/${id(eventId)}/attachments/${index}`,
		health: () => http.request<TenantHealth>(`${t()}/health`),
		deadLetters: () => http.request<Page<OutboxJob>>(`${t()}/dead-letters`, { query: { limit: 20 } }),
		retryDeadLetter: (jobId: string) =>
			http.request<OutboxJob>(`${t()}/dead-letters/${id(jobId)}/retry`, { method: 'POST' }),
		/** Payloads the workers could not read, newest first (the raw payload comes along; never shown). */
		quarantine: (limit = 200) =>
			http.request<Page<QuarantineItem>>(`${t()}/quarantine`, { query: { limit } }),
		requeueQuarantined: (itemId: string) =>
			http.request<void>(`${t()}/quarantine/${id(itemId)}/requeue`, { method: 'POST' }),
		mergeReviews: () => http.request<{ items: MergeReview[] }>(`${t()}/merge-reviews`),
		decideReview: (reviewId: string, decision: 'approve' | 'reject') =>
			http.request<{ review: MergeReview; mergeId: string | null }>(`${t()}/merge-reviews/${id(reviewId)}`, {
				method: 'POST',
				body: { decision },
			}),
		connectMessenger: (channel: MessagingChannel, token: string, name?: string) =>
			http.request<ConnectResult>(`${t()}/connections`, {
				method: 'POST',
				body: { channel, token, name: name || undefined },
			}),
		connectMarketplace: (credentials: MarketplaceCredentials) =>
			http.request<MarketplaceConnection>(`${t()}/marketplaces`, { method: 'POST', body: credentials }),
		marketplaces: () => http.request<{ items: MarketplaceConnection[] }>(`${t()}/marketplaces`),
		disconnect: (connectionId: string) =>
			http.request<unknown>(`${t()}/connections/${id(connectionId)}`, { method: 'DELETE' }),
		openLines: () => http.request<{ items: OpenLine[] }>(`${t()}/bitrix24/open-lines`),
		settings: () => http.request<Bitrix24Settings>(`${t()}/bitrix24/settings`),
		saveSettings: (settings: Bitrix24Settings) =>
			http.request<Bitrix24Settings>(`${t()}/bitrix24/settings`, { method: 'PUT', body: settings }),
	};
}

export type ConnectorApi = ReturnType<typeof createConnectorApi>;
