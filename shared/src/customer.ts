import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';
import { ConsentPurposeSchema } from './events/customer.ts';
import { IdentitySchema } from './identity.ts';

/** Consent per purpose: the latest statement the customer made, with its source and time. */
export const ConsentSchema = z.object({
	purpose: ConsentPurposeSchema,
	status: z.enum(['given', 'withdrawn']),
	source: z.string(),
	recordedAt: TimestampSchema,
});
export type Consent = z.infer<typeof ConsentSchema>;

/** One customer as the hosts see it: the merged view of everything Nitka knows. */
export const CustomerSchema = z.object({
	id: IdSchema,
	tenantId: IdSchema,
	/** Display name chosen by the survivorship rules (docs/identity.md). */
	displayName: z.string().nullable(),
	phone: z.string().nullable(),
	email: z.string().nullable(),
	identities: z.array(IdentitySchema),
	consents: z.array(ConsentSchema),
	/** Customers merged into this one (their ids still resolve here). */
	mergedIds: z.array(IdSchema),
	createdAt: TimestampSchema,
	lastEventAt: TimestampSchema.nullable(),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** Where a display value came from decides which wins (higher rank wins, then the newer). */
export const profileSourceRanks = {
	messenger: 10,
	marketplace: 20,
	counter: 30,
	host: 40,
	manual: 50,
} as const;
export type ProfileSource = keyof typeof profileSourceRanks;
export const ProfileSourceSchema = z.enum(
	Object.keys(profileSourceRanks) as [ProfileSource, ...ProfileSource[]],
);

/** Name details an event may carry about its customer. */
export const ProfileHintSchema = z.object({
	name: z.string().trim().min(1).max(200),
	source: ProfileSourceSchema,
});
export type ProfileHint = z.infer<typeof ProfileHintSchema>;
