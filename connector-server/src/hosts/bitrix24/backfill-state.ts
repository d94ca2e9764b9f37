import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';

const RECORD = 'bitrix24-backfill';

export const BackfillProgressSchema = z.object({
	status: z.enum(['idle', 'running', 'finished', 'failed']).default('idle'),
	total: z.number().int().default(0),
	done: z.number().int().default(0),
	failed: z.number().int().default(0),
	/** HTTP requests sent to the portal, and how many the portal refused with QUERY_LIMIT_EXCEEDED. */
	requests: z.number().int().default(0),
	limited: z.number().int().default(0),
	/** Commands the portal ran or answered inside those requests (packing: commands ÷ requests). */
	commands: z.number().int().default(0),
	/** Orders' timeline entries written on their contacts, and given up on (their deals stand). */
	logged: z.number().int().default(0),
	logsFailed: z.number().int().default(0),
	startedAt: z.string().nullable().default(null),
	finishedAt: z.string().nullable().default(null),
	error: z.string().nullable().default(null),
});
export type BackfillProgress = z.infer<typeof BackfillProgressSchema>;

/** What the batch being sent may create: checked by ORIGIN_ID after a crash, before anything else. */
export const InflightSchema = z.object({
	contacts: z.array(z.string()),
	deals: z.array(z.string()),
	logs: z.array(z.string()).default([]),
});
export type Inflight = z.infer<typeof InflightSchema>;

const StateSchema = z.object({
	progress: BackfillProgressSchema.default(BackfillProgressSchema.parse({})),
	inflight: InflightSchema.default({ contacts: [], deals: [], logs: [] }),
});

/** The backfill's durable state: one host_records row per tenant, written before each creating batch. */
export function backfillState(links: HostLinks, tenantId: string) {
	return {
		async load() {
			const row = await links.getRecord(tenantId, RECORD, 'state');
			return StateSchema.parse(row?.data ?? {});
		},
		async save(progress: BackfillProgress, inflight: Inflight) {
			await links.putRecord(tenantId, RECORD, 'state', '', { progress, inflight });
		},
	};
}
