import { z } from 'zod';
import { ymStatuses } from './statuses.ts';

const date = z.iso.date();
const dateTime = z.iso.datetime({ offset: true });

/** `GetBusinessOrdersRequest` (research §7.3; spec `GetBusinessOrdersRequest.yaml`). */
export const businessOrdersRequest = z.object({
	orderIds: z.array(z.number().int()).min(1).max(50).nullish(),
	externalOrderIds: z.array(z.string()).min(1).max(50).nullish(),
	programTypes: z
		.array(z.enum(['FBY', 'FBS', 'DBS', 'EXPRESS', 'LAAS']))
		.min(1)
		.nullish(),
	campaignIds: z.array(z.number().int()).min(1).max(50).nullish(),
	statuses: z.array(z.enum(ymStatuses)).min(1).nullish(),
	substatuses: z.array(z.string()).min(1).nullish(),
	dates: z
		.object({
			creationDateFrom: date,
			creationDateTo: date,
			shipmentDateFrom: date,
			shipmentDateTo: date,
			updateDateFrom: dateTime,
			updateDateTo: dateTime,
		})
		.partial()
		.optional(),
	fake: z.boolean().optional(),
	waitingForCancellationApprove: z.boolean().optional(),
	sourcePlatforms: z.array(z.string()).min(1).nullish(),
});
export type BusinessOrdersRequest = z.infer<typeof businessOrdersRequest>;
