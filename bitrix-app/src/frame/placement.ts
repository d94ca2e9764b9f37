import type { CrmEntityType } from '../api/types.ts';

/** The CRM entity a detail-tab placement shows (the type is implied by the code), or null. */
export function crmEntityOf(placement: string): CrmEntityType | null {
	const match = /^CRM_(CONTACT|DEAL|LEAD)_DETAIL_TAB$/.exec(placement);
	return match ? (match[1]!.toLowerCase() as CrmEntityType) : null;
}
