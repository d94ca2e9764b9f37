import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one server instance (a registry per instance keeps tests independent). */
export function createMetrics() {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'nitka_' });
	return {
		registry,
		httpRequests: new Histogram({
			name: 'nitka_http_request_duration_seconds',
			help: 'HTTP request duration by route and status',
			labelNames: ['method', 'route', 'status'] as const,
			buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers: [registry],
		}),
		inboxAccepted: new Counter({
			name: 'nitka_inbox_accepted_total',
			help: 'Webhook payloads durably stored, by source',
			labelNames: ['source'] as const,
			registers: [registry],
		}),
		inboxDuplicates: new Counter({
			name: 'nitka_inbox_duplicates_total',
			help: 'Redelivered payloads answered without change, by source',
			labelNames: ['source'] as const,
			registers: [registry],
		}),
		inboxProcessed: new Counter({
			name: 'nitka_inbox_processed_total',
			help: 'Inbox items turned into events or quarantined',
			labelNames: ['outcome'] as const,
			registers: [registry],
		}),
		outboxAttempts: new Counter({
			name: 'nitka_outbox_attempts_total',
			help: 'Outbox delivery attempts by kind and outcome',
			labelNames: ['kind', 'outcome'] as const,
			registers: [registry],
		}),
		outboxPending: new Gauge({
			name: 'nitka_outbox_pending',
			help: 'Outbox jobs waiting, as last seen by this worker',
			registers: [registry],
		}),
	};
}

export type Metrics = ReturnType<typeof createMetrics>;
