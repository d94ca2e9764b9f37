import { z } from 'zod';
import type { CustomerProfile, HostLinks } from '../../core/ports/host-links.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import { type Contact, ContactSchema, DuplicatesSchema } from './schemas.ts';

export const CONTACT_IDENTITY = 'bitrix24_contact' as const;

/** `crm.contact.add` params for a customer; ORIGIN_ID finds our own create again after a crash. */
export function newContactParams(profile: CustomerProfile, imol?: string) {
	return {
		fields: {
			NAME: profile.name ?? 'Nitka',
			OPENED: 'Y',
			ORIGINATOR_ID: 'nitka',
			ORIGIN_ID: profile.customerId,
			PHONE: profile.phones.map((VALUE) => ({ VALUE, VALUE_TYPE: 'MOBILE' })),
			EMAIL: profile.emails.map((VALUE) => ({ VALUE, VALUE_TYPE: 'HOME' })),
			IM: imol ? [{ VALUE: imol, VALUE_TYPE: 'IMOL' }] : [],
		},
		params: { REGISTER_SONET_EVENT: 'N' },
	};
}

export const digits = (phone: string) => phone.replace(/\D/g, '');
export const lower = (email: string) => email.trim().toLowerCase();

/** Open Lines names: letters, spaces, hyphens, apostrophes, 25 characters (research §5.2). */
export const safeName = (name: string | null | undefined) =>
	(name ?? '')
		.replace(/[^\p{L} '-]/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 25);

/**
 * The customer's Bitrix24 contact, found or created: the stored link first; then
 * crm.duplicate.findbycomm by phone and email; then our own earlier create (ORIGIN_ID, in case a
 * crash lost the link); only then crm.contact.add. Values the contact lacks are appended, never
 * ones it already has (an update without ID appends, research §8.4).
 */
export async function ensureContact(
	client: Bitrix24RestClient,
	links: HostLinks,
	customerId: string,
	extra: { imol?: string } = {},
): Promise<string> {
	const tenantId = client.portal.tenantId;
	const linked = await links.contactOf(tenantId, customerId, CONTACT_IDENTITY);
	if (linked) {
		if (extra.imol) await addMissing(client, links, linked, { phones: [], emails: [], ims: [extra.imol] });
		return linked;
	}
	const profile = await links.profile(tenantId, customerId);
	let contactId = await findDuplicate(client, profile.phones, profile.emails);
	if (!contactId) {
		const ours = await client.call(
			'crm.contact.list',
			{ filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: profile.customerId }, select: ['ID'] },
			z.array(z.object({ ID: z.coerce.string() })),
		);
		contactId = ours[0]?.ID ?? null;
	}
	if (contactId) {
		await addMissing(client, links, contactId, {
			phones: profile.phones,
			emails: profile.emails,
			ims: extra.imol ? [extra.imol] : [],
		});
	} else {
		const id = await client.call('crm.contact.add', newContactParams(profile, extra.imol), z.coerce.string());
		contactId = id;
	}
	await links.linkContact(tenantId, { type: CONTACT_IDENTITY, contactId, identifiers: [], customerId });
	return contactId;
}

async function findDuplicate(client: Bitrix24RestClient, phones: string[], emails: string[]) {
	for (const [type, values] of [
		['PHONE', phones],
		['EMAIL', emails],
	] as const) {
		if (values.length === 0) continue;
		const found = await client.call(
			'crm.duplicate.findbycomm',
			{ type, values: values.slice(0, 20), entity_type: 'CONTACT' },
			DuplicatesSchema,
		);
		const ids = (found.CONTACT ?? []).slice().sort((a, b) => a - b);
		if (ids[0]) return String(ids[0]);
	}
	return null;
}

export async function getContact(client: Bitrix24RestClient, contactId: string): Promise<Contact | null> {
	const list = await client.call(
		'crm.contact.list',
		{ filter: { ID: contactId }, select: ['ID', 'NAME', 'LAST_NAME', 'PHONE', 'EMAIL', 'IM'] },
		z.array(ContactSchema),
	);
	return list[0] ?? null;
}

async function addMissing(
	client: Bitrix24RestClient,
	links: HostLinks,
	contactId: string,
	wanted: { phones: string[]; emails: string[]; ims: string[] },
) {
	const tenantId = client.portal.tenantId;
	// The IM value is remembered once written, so a linked contact costs no REST call per message.
	const ims = [];
	for (const im of wanted.ims)
		if (!(await links.getRecord(tenantId, 'bitrix24-imol', `${contactId}:${im}`))) ims.push(im);
	if (wanted.phones.length === 0 && wanted.emails.length === 0 && ims.length === 0) return;
	const contact = await getContact(client, contactId);
	if (!contact) return;
	const havePhones = new Set((contact.PHONE ?? []).map((p) => digits(p.VALUE)));
	const haveEmails = new Set((contact.EMAIL ?? []).map((e) => lower(e.VALUE)));
	const haveIms = new Set((contact.IM ?? []).map((i) => i.VALUE));
	const fields: Record<string, unknown> = {};
	const phones = wanted.phones.filter((p) => !havePhones.has(digits(p)));
	const emails = wanted.emails.filter((e) => !haveEmails.has(lower(e)));
	const newIms = ims.filter((i) => !haveIms.has(i));
	if (phones.length > 0) fields.PHONE = phones.map((VALUE) => ({ VALUE, VALUE_TYPE: 'MOBILE' }));
	if (emails.length > 0) fields.EMAIL = emails.map((VALUE) => ({ VALUE, VALUE_TYPE: 'HOME' }));
	if (newIms.length > 0) fields.IM = newIms.map((VALUE) => ({ VALUE, VALUE_TYPE: 'IMOL' }));
	if (Object.keys(fields).length > 0) {
		await client.call(
			'crm.contact.update',
			{ id: contactId, fields, params: { REGISTER_SONET_EVENT: 'N' } },
			z.unknown(),
		);
	}
	for (const im of ims) await links.putRecord(tenantId, 'bitrix24-imol', `${contactId}:${im}`, contactId, {});
}
