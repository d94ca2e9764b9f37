/**
 * Paired WooCommerce sites as the WooCommerce host adapter needs them: who signs with which
 * secret, and where the plugin answers. Storage lives outside hosts/ (it needs the database).
 *
 * How to extend: another signed-plugin host (e.g. a second CMS) gets its own port of this shape.
 */
export interface WooCommerceSite {
	siteId: string;
	tenantId: string;
	siteUrl: string;
	/** The plugin's REST base for connector → plugin calls, e.g. https://shop/wp-json/nitka/v1/connector. */
	callbackUrl: string | null;
	/** The opened shared secret. Never log it. */
	secret: string;
}

export interface WooCommerceSiteDirectory {
	/** The active site by its id (the X-Nitka-Site header), or null. */
	bySiteId(siteId: string): Promise<WooCommerceSite | null>;
	/** The tenant's active site, or null. */
	byTenant(tenantId: string): Promise<WooCommerceSite | null>;
	/** Remembers a nonce; false when it was already seen (a replay). */
	rememberNonce(siteId: string, nonce: string, at: number): Promise<boolean>;
	markVerified(siteId: string, at: number): Promise<void>;
}
