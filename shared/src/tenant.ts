import { z } from 'zod';
import { ConnectionChannelSchema, HostKindSchema } from './channels.ts';
import { IdSchema, TimestampSchema } from './common.ts';

/** An agency configures Nitka for several shops; it owns their tenants. */
export const AgencySchema = z.object({
	id: IdSchema,
	name: z.string().min(1).max(200),
	createdAt: TimestampSchema,
});
export type Agency = z.infer<typeof AgencySchema>;

/** A tenant is one shop's host installation: a Bitrix24 portal or a WooCommerce site. */
export const TenantSchema = z.object({
	id: IdSchema,
	kind: HostKindSchema,
	name: z.string().min(1).max(200),
	/** The host's own id: a Bitrix24 member_id, a WooCommerce site URL. */
	externalId: z.string().min(1).max(500),
	agencyId: IdSchema.nullable(),
	createdAt: TimestampSchema,
});
export type Tenant = z.infer<typeof TenantSchema>;

export const ConnectionStatusSchema = z.enum(['active', 'paused', 'error', 'disconnected']);

/** A channel or marketplace a tenant connected. Credentials never leave the server. */
export const ConnectionSchema = z.object({
	id: IdSchema,
	tenantId: IdSchema,
	channel: ConnectionChannelSchema,
	name: z.string().min(1).max(200),
	status: ConnectionStatusSchema,
	lastError: z.string().nullable(),
	createdAt: TimestampSchema,
	updatedAt: TimestampSchema,
});
export type Connection = z.infer<typeof ConnectionSchema>;
