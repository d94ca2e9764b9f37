import type { Db } from '../../db/database.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { OutboxHandler } from '../ports/outbound.ts';
import { issueToSegment, type PromoDeps } from './issue.ts';
import { createFollowUpHandler, createPromoReactor, FOLLOW_UP_JOB_KIND } from './promo-reactor.ts';

/** The promo journey as the server wires it: its reactor, its outbox handler, issuing. */
export interface PromoRuntime {
	readonly reactor: EventReactor;
	readonly outboxHandlers: Record<string, OutboxHandler>;
	issue(tenantId: string, campaignId: string): ReturnType<typeof issueToSegment>;
}

export function createPromoRuntime(deps: PromoDeps & { db: Db }): PromoRuntime {
	return {
		reactor: createPromoReactor(deps),
		outboxHandlers: { [FOLLOW_UP_JOB_KIND]: createFollowUpHandler(deps) as OutboxHandler },
		issue: (tenantId, campaignId) => issueToSegment(deps.db, deps, tenantId, campaignId),
	};
}
