import { createConnectorApi } from './api/connector-api.ts';
import { connectorBase } from './api/connector-url.ts';
import { createHttp } from './api/http.ts';
import { SessionKeeper } from './api/session.ts';
import type { AppContext } from './app-context.ts';
import type { FrameContext } from './frame/frame-context.ts';
import { setLanguage } from './i18n/i18n.ts';

/**
 * Images become data: URLs (the app page's CSP allows `img-src data:`, not blob:), other files
 * object URLs for download links.
 */
async function toUrl(blob: Blob): Promise<string> {
	if (!blob.type.startsWith('image/')) return URL.createObjectURL(blob);
	return await new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(String(reader.result));
		reader.onerror = () => reject(reader.error);
		reader.readAsDataURL(blob);
	});
}

/**
 * Frame → language → connector session → API. The session is opened here, before any view, so a
 * portal the connector does not know fails once, clearly, instead of in every panel.
 */
export async function boot(frame: FrameContext, location: Location): Promise<AppContext> {
	setLanguage(frame.lang);
	const base = connectorBase(location);
	const keeper = new SessionKeeper(base, frame, (url, init) => fetch(url, init));
	const session = await keeper.get();
	const http = createHttp(base, keeper);
	const api = createConnectorApi(http, () => session.tenantId);
	const urls = new Map<string, Promise<string>>();
	return {
		api,
		frame,
		session: () => keeper.current ?? session,
		media: (eventId, index) => {
			const key = `${eventId}/${index}`;
			let url = urls.get(key);
			if (!url) {
				url = http.blob(api.mediaUrl(eventId, index)).then(toUrl);
				url.catch(() => urls.delete(key));
				urls.set(key, url);
			}
			return url;
		},
	};
}
