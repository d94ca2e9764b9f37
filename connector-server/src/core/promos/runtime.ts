import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { BackgroundLoop } from '../background-loop.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { OutboxHandler } from '../ports/outbound.ts';
import { previewAudience } from './campaigns.ts';
import { issueToSegment, type PromoDeps } from './issue.ts';
import {
	createFollowUpHandler,
	createPromoReactor,
	enqueueDueThankYous,
	FOLLOW_UP_JOB_KIND,
} from './promo-reactor.ts';

/** The longest the sweeper sleeps between looks for due thank-yous. */
const SWEEP_EVERY_MS = 30_000;

/** The promo journey as the server wires it: its reactor, its outbox handler, issuing, the sweeper. */
export interface PromoRuntime {
	readonly reactor: EventReactor;
	readonly outboxHandlers: Record<string, OutboxHandler>;
	issue(tenantId: string, campaignId: string): ReturnType<typeof issueToSegment>;
	/** Who issuing would reach now (counts). */
	audience(tenantId: string, campaignId: string): ReturnType<typeof previewAudience>;
	/** Starts the sweeper that enqueues thank-yous as they come due (where the workers run). */
	start(): void;
	stop(): Promise<void>;
}

export function createPromoRuntime(deps: PromoDeps & { db: Db; logger: Logger }): PromoRuntime {
	const sweeper = new BackgroundLoop(
		'promo-thank-yous',
		async () => {
			const now = deps.clock.now();
			const { enqueued, nextDueAt } = await enqueueDueThankYous(deps.db, now);
			if (enqueued > 0) deps.committed();
			return nextDueAt === null ? SWEEP_EVERY_MS : Math.max(0, Math.min(SWEEP_EVERY_MS, nextDueAt - now));
		},
		deps.logger,
	);
	return {
		reactor: createPromoReactor(deps),
		outboxHandlers: { [FOLLOW_UP_JOB_KIND]: createFollowUpHandler(deps) as OutboxHandler },
		issue: (tenantId, campaignId) => issueToSegment(deps.db, deps, tenantId, campaignId),
		audience: (tenantId, campaignId) => previewAudience(deps.db, tenantId, campaignId, deps.privateChat),
		start: () => sweeper.start(),
		stop: () => sweeper.stop(),
	};
}
