import { type InjectionKey, inject } from 'vue';
import type { ConnectorApi } from './api/connector-api.ts';
import type { Session } from './api/session.ts';
import type { FrameContext } from './frame/frame-context.ts';

/** What every view gets from the boot sequence. */
export interface AppContext {
	api: ConnectorApi;
	frame: FrameContext;
	session: () => Session;
	/** Fetches a media file through the connector (it needs the session token) as a URL for the page. */
	media: (eventId: string, index: number) => Promise<string>;
}

export const appContextKey: InjectionKey<AppContext> = Symbol('nitka-app');

export function useApp(): AppContext {
	const context = inject(appContextKey);
	if (!context) throw new Error('useApp() outside the app');
	return context;
}
