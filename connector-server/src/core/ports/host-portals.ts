import type { HostKind } from '@nitka/shared';

/** One host install (a Bitrix24 portal) as a host adapter sees it; secrets come separately. */
export interface HostPortal {
	tenantId: string;
	host: HostKind;
	/** The host's id for the install (Bitrix24 member_id). */
	externalId: string;
	domain: string;
	/** REST base the portal gave (`https://portal/rest/`). */
	clientEndpoint: string;
	/** OAuth server base the portal gave (`https://oauth.bitrix24.tech/rest/`). */
	serverEndpoint: string;
	status: 'active' | 'uninstalled';
	settings: Record<string, unknown>;
}

export interface HostTokens {
	accessToken: string;
	refreshToken: string;
	/** Epoch ms. */
	expiresAt: number;
}

export interface HostSecrets {
	applicationToken: string;
	/** Null once uninstalled: the tokens are gone. */
	tokens: HostTokens | null;
	/** Bumped on each token change; a save names the version it replaces (compare-and-set). */
	version: number;
}

export interface HostInstallInput {
	host: HostKind;
	externalId: string;
	name: string;
	domain: string;
	clientEndpoint: string;
	serverEndpoint: string;
	applicationToken: string;
	tokens: HostTokens | null;
}

/**
 * Where host installs live: the tenant they map to, their endpoints, and their tokens sealed at
 * rest. Every method is scoped by tenant or by the host's own install id.
 *
 * How to extend: a new host stores its installs through this port with its HostKind; it never
 * touches the tables.
 */
export interface HostPortalStore {
	/** Creates the tenant and install, or reactivates an uninstalled one (same tenant, new tokens). */
	install(input: HostInstallInput): Promise<{ portal: HostPortal; created: boolean }>;
	byExternalId(host: HostKind, externalId: string): Promise<HostPortal | null>;
	byTenant(tenantId: string): Promise<HostPortal | null>;
	secrets(tenantId: string): Promise<HostSecrets | null>;
	/** Stores rotated tokens only if nobody changed them since `expectedVersion`; false otherwise. */
	saveTokens(tenantId: string, tokens: HostTokens, expectedVersion: number): Promise<boolean>;
	/** Forgets the tokens and marks the install uninstalled; the tenant and its timeline stay. */
	uninstall(tenantId: string): Promise<void>;
	saveSettings(tenantId: string, settings: Record<string, unknown>): Promise<void>;
	/** Active installs of a host (for reconciliation loops). */
	listActive(host: HostKind): Promise<HostPortal[]>;
}
