/** Path of the emulated CRM contact card, whose detail tab frames the apps bound to CRM_CONTACT_DETAIL_TAB. */
export function contactCardPath(contactId: string | number): string {
	return `/crm/contact/details/${encodeURIComponent(String(contactId))}/`;
}

/** Path of an app's own page (placement DEFAULT). */
export function appPagePath(appId: string): string {
	return `/marketplace/app/${encodeURIComponent(appId)}/`;
}
