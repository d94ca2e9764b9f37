import type { Db } from '../../db/database.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import type { OutboxHandler } from '../ports/outbound.ts';
import {
	CATALOG_JOB_KIND,
	type ChatOrderDeps,
	createCatalogHandler,
	createChatOrderReactor,
	createPlaceHandler,
	PLACE_JOB_KIND,
} from './chat-order-reactor.ts';

/** Journey 1's ordering conversation as the server wires it: its reactor and its outbox handlers. */
export interface ChatOrderRuntime {
	readonly reactor: EventReactor;
	readonly outboxHandlers: Record<string, OutboxHandler>;
}

export function createChatOrderRuntime(deps: ChatOrderDeps & { db: Db }): ChatOrderRuntime {
	return {
		reactor: createChatOrderReactor(deps),
		outboxHandlers: {
			[CATALOG_JOB_KIND]: createCatalogHandler(deps) as OutboxHandler,
			[PLACE_JOB_KIND]: createPlaceHandler(deps) as OutboxHandler,
		},
	};
}

/** Whether the tenant has an active install of a host (`bitrix24`). */
export async function hostInstalled(db: Db, tenantId: string, host: string): Promise<boolean> {
	const row = await db
		.selectFrom('host_portals')
		.select('tenant_id')
		.where('tenant_id', '=', tenantId)
		.where('host', '=', host)
		.where('status', '=', 'active')
		.executeTakeFirst();
	return row !== undefined;
}
