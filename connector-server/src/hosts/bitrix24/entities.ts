import { z } from 'zod';
import type { HostLinks } from '../../core/ports/host-links.ts';
import { CONTACT_IDENTITY, getContact } from './crm-contacts.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import { DealSchema, LeadSchema } from './schemas.ts';

export type EntityType = 'contact' | 'deal' | 'lead';

/** A card's customer, and for a deal Nitka made, the marketplace order it stands for. */
export interface EntityCustomer {
	customerId: string;
	order: { source: string; orderId: string } | null;
}

/**
 * A CRM card's customer: a deal or lead leads to its contact, the contact to the customer that
 * holds its `bitrix24_contact` identity. A contact Nitka has not seen yet is linked from its
 * phones and emails (joining the customer who already has them, or starting one). A lead without
 * a contact is matched by its own phones, then e-mails, to a customer Nitka already knows (nothing
 * is created from a lead). Null when the card leads to no customer.
 */
export async function resolveEntityCustomer(
	client: Bitrix24RestClient,
	links: HostLinks,
	type: EntityType,
	id: string,
): Promise<EntityCustomer | null> {
	const tenantId = client.portal.tenantId;
	let contactId: string | null = id;
	let order: EntityCustomer['order'] = null;
	if (type === 'deal') {
		const deals = await client.call(
			'crm.deal.list',
			{ filter: { ID: id }, select: ['ID', 'CONTACT_ID', 'ORIGINATOR_ID', 'ORIGIN_ID'] },
			z.array(DealSchema),
		);
		const deal = deals[0];
		contactId = deal?.CONTACT_ID ?? deal?.CONTACT_IDS?.[0] ?? null;
		order = dealOrder(deal);
	} else if (type === 'lead') {
		const leads = await client.call(
			'crm.item.list',
			{ entityTypeId: 1, filter: { id: Number(id) }, select: ['*'] },
			z.object({ items: z.array(LeadSchema) }),
		);
		const lead = leads.items[0];
		contactId = lead?.contactId ?? null;
		if (lead && (!contactId || contactId === '0')) {
			const customerId = await customerOfLead(links, tenantId, lead);
			return customerId ? { customerId, order: null } : null;
		}
	}
	if (!contactId || contactId === '0') return null;
	const customerId = await customerOfContact(client, links, contactId);
	return customerId ? { customerId, order } : null;
}

/** `source:orderId` in ORIGIN_ID of a deal Nitka made (crm-deals.ts dealKey). */
function dealOrder(deal: z.infer<typeof DealSchema> | undefined): EntityCustomer['order'] {
	if (deal?.ORIGINATOR_ID !== 'nitka' || !deal.ORIGIN_ID) return null;
	const at = deal.ORIGIN_ID.indexOf(':');
	if (at <= 0 || at === deal.ORIGIN_ID.length - 1) return null;
	return { source: deal.ORIGIN_ID.slice(0, at), orderId: deal.ORIGIN_ID.slice(at + 1) };
}

async function customerOfLead(links: HostLinks, tenantId: string, lead: z.infer<typeof LeadSchema>) {
	for (const typeId of ['PHONE', 'EMAIL'] as const) {
		for (const field of lead.fm.filter((f) => f.typeId === typeId && f.value.trim())) {
			const type = typeId === 'PHONE' ? 'phone' : 'email';
			const found = await links.customerOf(tenantId, field.value, type);
			if (found) return found;
		}
	}
	return null;
}

async function customerOfContact(client: Bitrix24RestClient, links: HostLinks, contactId: string) {
	const tenantId = client.portal.tenantId;
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
