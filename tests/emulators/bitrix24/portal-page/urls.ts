/** Path of the emulated CRM contact card, whose detail tab frames the apps bound to CRM_CONTACT_DETAIL_TAB. */
export function contactCardPath(contactId: string | number): string {
	return `/crm/contact/details/${encodeURIComponent(String(contactId))}/`;
}

/** Path of an app's own page (placement DEFAULT). */
export function appPagePath(appId: string): string {
	return `/marketplace/app/${encodeURIComponent(appId)}/`;
}

/** Path of the emulated CRM deal card (its detail tab frames the apps bound to CRM_DEAL_DETAIL_TAB). */
export function dealCardPath(dealId: string | number): string {
	return `/crm/deal/details/${encodeURIComponent(String(dealId))}/`;
}

/** Path of the emulated CRM lead card (its detail tab frames the apps bound to CRM_LEAD_DETAIL_TAB). */
export function leadCardPath(leadId: string | number): string {
	return `/crm/lead/details/${encodeURIComponent(String(leadId))}/`;
}
