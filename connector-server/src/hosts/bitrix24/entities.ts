import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import { CONTACT_IDENTITY, getContact } from './crm-contacts.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import { DealSchema, LeadSchema } from './schemas.ts';

export type EntityType = 'contact' | 'deal' | 'lead';

/**
 * A CRM card's customer: a deal or lead leads to its contact, the contact to the customer that
 * holds its `bitrix24_contact` identity. A contact Nitka has not seen yet is linked from its
 * phones and emails (joining the customer who already has them, or starting one). Null when the
 * card has no contact.
 */
export async function resolveEntityCustomer(
	client: Bitrix24RestClient,
	links: HostLinks,
	type: EntityType,
	id: string,
): Promise<string | null> {
	const tenantId = client.portal.tenantId;
	let contactId: string | null = id;
	if (type === 'deal') {
		const deals = await client.call(
			'crm.deal.list',
			{ filter: { ID: id }, select: ['ID', 'CONTACT_ID'] },
			z.array(DealSchema),
		);
		contactId = deals[0]?.CONTACT_ID ?? deals[0]?.CONTACT_IDS?.[0] ?? null;
	} else if (type === 'lead') {
		const leads = await client.call(
			'crm.item.list',
			{ entityTypeId: 1, filter: { id: Number(id) }, select: ['id', 'contactId'] },
			z.object({ items: z.array(LeadSchema) }),
		);
		contactId = leads.items[0]?.contactId ?? null;
	}
	if (!contactId || contactId === '0') return null;
	const known = await links.customerOf(tenantId, contactId, CONTACT_IDENTITY);
	if (known) return known;
	const contact = await getContact(client, contactId);
	if (!contact) return null;
	const identifiers = [
		...(contact.PHONE ?? []).map((p) => ({ type: 'phone' as const, value: p.VALUE, verified: false })),
		...(contact.EMAIL ?? []).map((e) => ({ type: 'email' as const, value: e.VALUE, verified: false })),
	];
	const name = [contact.NAME, contact.LAST_NAME].filter(Boolean).join(' ').trim();
	return await links.linkContact(tenantId, {
		type: CONTACT_IDENTITY,
		contactId,
		identifiers,
		...(name ? { name } : {}),
	});
}
