/**
 * Where the connector is. The connector serves this app itself, so its API is same-origin.
 * `?connector=<origin>` in the handler URL overrides that for development only (the Vite dev
 * server): a production build ignores it, since the app sends the portal user's session there.
 */
export function connectorBase(location: Location, dev: boolean = import.meta.env.DEV): string {
	const override = dev ? new URLSearchParams(location.search).get('connector') : null;
	if (override) {
		try {
			const url = new URL(override);
			if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
		} catch {
			// Not a URL: same-origin.
		}
	}
	return location.origin;
}
