import { MarketplaceSchema } from '@nitka/shared';
import { z } from 'zod';

/** The install page form POST (research §1.1); query `DOMAIN` may also carry the domain. */
export const InstallFormSchema = z.object({
	AUTH_ID: z.string().min(1),
	AUTH_EXPIRES: z.coerce.number().int().positive().default(3600),
	REFRESH_ID: z.string().min(1),
	member_id: z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/),
	APPLICATION_TOKEN: z.string().min(1),
	SERVER_ENDPOINT: z.string().url().optional(),
	server_endpoint: z.string().url().optional(),
	DOMAIN: z.string().optional(),
	PROTOCOL: z.string().optional(),
	LANG: z.string().optional(),
});

/** The `auth[...]` block of an event (research §1.2, §6.2); tokens absent on uninstall and automation. */
export const EventAuthSchema = z.object({
	member_id: z.string().min(1),
	application_token: z.string().min(1),
	domain: z.string().min(1),
	access_token: z.string().optional(),
	refresh_token: z.string().optional(),
	expires: z.coerce.number().optional(),
	expires_in: z.coerce.number().optional(),
	server_endpoint: z.string().url().optional(),
	client_endpoint: z.string().url().optional(),
	user_id: z.coerce.number().optional(),
});

export const EventEnvelopeSchema = z.object({
	event: z
		.string()
		.min(1)
		.transform((e) => e.toUpperCase()),
	event_handler_id: z.string().optional(),
	ts: z.string().optional(),
	data: z.record(z.string(), z.unknown()).default({}),
	auth: EventAuthSchema,
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

const recordList = <T extends z.ZodType>(item: T) =>
	z.union([z.array(item), z.record(z.string(), item).transform((r) => Object.values(r))]);

/** ONIMCONNECTORMESSAGEADD `data` (research §5.3). */
export const OperatorMessagesSchema = z.object({
	CONNECTOR: z.string(),
	LINE: z.coerce.number().int(),
	MESSAGES: recordList(
		z.object({
			im: z.object({ chat_id: z.coerce.number(), message_id: z.coerce.number() }),
			message: z.object({ user_id: z.coerce.number().optional(), text: z.string().default('') }),
			chat: z.object({ id: z.string().min(1) }),
		}),
	),
});
export type OperatorMessage = z.infer<typeof OperatorMessagesSchema>['MESSAGES'][number];

/** ONCRM*: only `data[FIELDS][ID]` (research §6.2). */
export const CrmEventDataSchema = z.object({ FIELDS: z.object({ ID: z.coerce.number().int().positive() }) });

export const UserCurrentSchema = z.object({
	ID: z.coerce.string(),
	NAME: z.string().nullable().default(''),
	LAST_NAME: z.string().nullable().default(''),
});
export const ProfileSchema = z.object({ ID: z.coerce.string(), ADMIN: z.boolean().default(false) });
export const AppInfoSchema = z.object({
	CODE: z.string().optional(),
	client_id: z.string().optional(),
	INSTALLED: z.boolean().optional(),
	LANGUAGE_ID: z.string().optional(),
});

export const OpenLineSchema = z.object({
	ID: z.coerce.string(),
	LINE_NAME: z.string(),
	ACTIVE: z.string().optional(),
});

const Multi = z.array(
	z.object({ ID: z.coerce.string().optional(), VALUE: z.string(), VALUE_TYPE: z.string().optional() }),
);
export const ContactSchema = z.object({
	ID: z.coerce.string(),
	NAME: z.string().nullable().optional(),
	LAST_NAME: z.string().nullable().optional(),
	PHONE: Multi.optional(),
	EMAIL: Multi.optional(),
	IM: Multi.optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const DealSchema = z.object({
	ID: z.coerce.string(),
	CONTACT_ID: z.coerce.string().nullable().optional(),
	CONTACT_IDS: z.array(z.coerce.string()).optional(),
	ORIGINATOR_ID: z.string().nullable().optional(),
	ORIGIN_ID: z.string().nullable().optional(),
});
/** `crm.item.list` for leads (entityTypeId 1): camelCase, real numbers (research §4.6). */
export const LeadSchema = z.object({
	id: z.coerce.string(),
	contactId: z.coerce.string().nullable().optional(),
	/** Phones and e-mails of the lead itself (only with `select: ['*']`). */
	fm: z
		.array(z.object({ typeId: z.string(), value: z.coerce.string() }))
		.optional()
		.default([]),
});

/** `crm.duplicate.findbycomm`: `[]` when nothing matches (research §4.3). */
export const DuplicatesSchema = z.union([
	z.array(z.unknown()).transform(() => ({}) as Record<string, number[]>),
	z.record(z.string(), z.array(z.coerce.number())),
]);

/** The admin's choices, stored with the install and edited through the settings route. */
export const Bitrix24SettingsSchema = z.object({
	openLineId: z.string().regex(/^\d+$/).nullable().default(null),
	deals: z
		.object({
			/** Deal pipeline (CATEGORY_ID), 0 = the default one. */
			categoryId: z.number().int().nonnegative().default(0),
			/** Nitka order status → Bitrix24 STAGE_ID, per marketplace. */
			stages: z.partialRecord(MarketplaceSchema, z.record(z.string(), z.string().min(1).max(50))).default({}),
		})
		.default({ categoryId: 0, stages: {} }),
	/** Journey 1's catalog (`catalog.ts`): which CRM catalog the chat sells from, and product links. */
	catalog: z
		.object({
			/** `crm.catalog.list` id; absent: the portal's default catalog. */
			catalogId: z.number().int().positive().optional(),
			/** The shop's product page, `{id}` = the product id, e.g. `https://shop.example/p/{id}`. */
			productUrl: z
				.string()
				.max(500)
				.url()
				.refine((url) => /^https?:\/\//.test(url) && url.includes('{id}'), 'an http(s) URL with {id}')
				.optional(),
		})
		.optional(),
});
export type Bitrix24Settings = z.infer<typeof Bitrix24SettingsSchema>;
