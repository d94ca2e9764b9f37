import { legacyCrmMethods } from './crm-legacy.ts';

/** `crm.deal.add/get/update/delete/list` (research §4.4); CATEGORY_ID cannot change here. */
export const crmDealMethods = legacyCrmMethods({
	name: 'deal',
	entityTypeId: 2,
	updateNotFound: 'Not found',
});
