import { z } from 'zod';
import { IdentifierTypeSchema } from '../identity.ts';

export const ConsentPurposeSchema = z.enum(['service', 'marketing']);
export type ConsentPurpose = z.infer<typeof ConsentPurposeSchema>;

export const ConsentDataSchema = z.object({
	purpose: ConsentPurposeSchema,
	/** Where the customer said so: "telegram:/start", "woocommerce:checkout", "counter:<location>". */
	source: z.string().min(1).max(200),
	text: z.string().max(2000).optional(),
});

/** What made two customers one: the shared identifiers and the rule that fired. */
export const MergeEvidenceSchema = z.object({
	identifiers: z.array(z.object({ type: IdentifierTypeSchema, value: z.string() })).max(50),
	/** The event whose identifiers brought them together, when an event did. */
	eventSourceKey: z.string().max(300).optional(),
});

export const CustomerMergedDataSchema = z.object({
	mergeId: z.string(),
	survivorId: z.string(),
	mergedId: z.string(),
	rule: z.enum(['shared-identifier', 'claimed-identifier', 'manual', 'review-approved']),
	evidence: MergeEvidenceSchema,
});

export const CustomerUnmergedDataSchema = z.object({
	mergeId: z.string(),
	survivorId: z.string(),
	mergedId: z.string(),
	reason: z.string().max(2000).optional(),
});

export const IdentityLinkedDataSchema = z.object({
	type: IdentifierTypeSchema,
	/** Masked for display; the full value lives in the identity table. */
	value: z.string().max(256),
	method: z.enum([
		'message',
		'shared-contact',
		'deep-link',
		'qr',
		'host',
		'marketplace',
		'manual',
		'counter',
	]),
});

/** Staff detached an identifier: it now belongs to a customer of its own (`newCustomerId`). */
export const IdentityUnlinkedDataSchema = z.object({
	identityId: z.string(),
	type: IdentifierTypeSchema,
	/** Masked for display, as in `identity.linked`. */
	value: z.string().max(256),
	newCustomerId: z.string(),
});

export const NoteDataSchema = z.object({ text: z.string().min(1).max(10_000), author: z.string().max(200) });
