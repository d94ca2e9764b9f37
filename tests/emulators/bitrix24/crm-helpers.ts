import type { Clock } from '../kit/index.ts';
import type { EventDispatcher } from './events.ts';
import type { PortalState } from './portal-state.ts';

const CONTACT = 3;

/** A user deletes a contact in the UI: ONCRMCONTACTDELETE carries only `FIELDS[ID]`. */
export async function crmDeleteContact(
	portal: PortalState,
	events: EventDispatcher,
	id: number,
): Promise<void> {
	if (!portal.crm.delete(CONTACT, id)) throw new Error(`no contact ${id}`);
	await events.emit(portal, 'ONCRMCONTACTDELETE', { FIELDS: { ID: String(id) } });
}

/**
 * A user merges two duplicates: the kept contact absorbs the other's missing fields and
 * communications (ONCRMCONTACTUPDATE), the other disappears (ONCRMCONTACTDELETE).
 */
export async function crmMergeContacts(
	portal: PortalState,
	events: EventDispatcher,
	clock: Clock,
	keepId: number,
	dropId: number,
): Promise<void> {
	const keep = portal.crm.get(CONTACT, keepId);
	const drop = portal.crm.get(CONTACT, dropId);
	if (!keep || !drop) throw new Error(`cannot merge contacts ${keepId} and ${dropId}`);
	for (const [key, value] of Object.entries(drop.fields)) {
		const current = keep.fields[key];
		if ((current === undefined || current === null || current === '') && value !== null && value !== '') {
			keep.fields[key] = value;
		}
	}
	for (const field of drop.multi) {
		if (!keep.multi.some((m) => m.TYPE_ID === field.TYPE_ID && m.VALUE === field.VALUE)) {
			portal.crm.addMulti(keep, field.TYPE_ID, field.VALUE, field.VALUE_TYPE);
		}
	}
	keep.modifiedMs = clock.now();
	for (const deal of portal.crm.all(2)) {
		const ids = (deal.fields.CONTACT_IDS as number[] | undefined) ?? [];
		if (ids.includes(dropId))
			deal.fields.CONTACT_IDS = [...new Set(ids.map((id) => (id === dropId ? keepId : id)))];
		if (deal.fields.CONTACT_ID === dropId) deal.fields.CONTACT_ID = keepId;
	}
	portal.crm.delete(CONTACT, dropId);
	await events.emit(portal, 'ONCRMCONTACTUPDATE', { FIELDS: { ID: String(keepId) } });
	await events.emit(portal, 'ONCRMCONTACTDELETE', { FIELDS: { ID: String(dropId) } });
}
