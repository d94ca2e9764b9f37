import type { IdentifierInput, IdentifierType } from '@nitka/shared';

/** What a host needs to mirror a customer: display name and the identifiers worth copying. */
export interface CustomerProfile {
	customerId: string;
	name: string | null;
	phones: string[];
	emails: string[];
}

/**
 * Customer ↔ host record links. A contact link is an identity of the host's type
 * (`bitrix24_contact`), so it resolves both ways and follows merges like any identifier.
 * Other records (an order's deal) are kept by kind and local key.
 *
 * How to extend: a host passes its identifier type; records use their own `kind`.
 */
export interface HostLinks {
	/** The contact linked to the customer (or to its merge root), or null. */
	contactOf(tenantId: string, customerId: string, type: IdentifierType): Promise<string | null>;
	/** The root customer holding the contact identity, or null. */
	customerOf(tenantId: string, contactId: string, type: IdentifierType): Promise<string | null>;
	/**
	 * Links a contact: resolves (or creates) the customer from the contact's identifiers plus the
	 * contact identity itself, in one transaction; with `customerId`, to that customer (merging if
	 * the contact was already someone else's). Returns the root customer id.
	 */
	linkContact(
		tenantId: string,
		input: {
			type: IdentifierType;
			contactId: string;
			identifiers: IdentifierInput[];
			name?: string;
			customerId?: string;
		},
	): Promise<string>;
	/** Drops the contact identity (the contact was deleted or merged away in the host). */
	unlinkContact(tenantId: string, contactId: string, type: IdentifierType): Promise<boolean>;
	profile(tenantId: string, customerId: string): Promise<CustomerProfile>;
	getRecord(tenantId: string, kind: string, localKey: string): Promise<HostRecord | null>;
	putRecord(
		tenantId: string,
		kind: string,
		localKey: string,
		remoteId: string,
		data: Record<string, unknown>,
	): Promise<void>;
}

export interface HostRecord {
	remoteId: string;
	data: Record<string, unknown>;
}
