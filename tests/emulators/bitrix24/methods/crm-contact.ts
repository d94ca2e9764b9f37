import { legacyCrmMethods } from './crm-legacy.ts';

/** `crm.contact.add/get/update/delete/list` (research §4.2). */
export const crmContactMethods = legacyCrmMethods({
	name: 'contact',
	entityTypeId: 3,
	updateNotFound: 'Contact is not found',
});
