import { appLayoutHtml } from './app-layout-html.ts';
import { frameProtocolHtml } from './frame-protocol.ts';
import { portalShell } from './html.ts';
import type { ClientLayoutConfig } from './layout-config.ts';
import type { AppLayout } from './layout-store.ts';

/** The app's own page (placement DEFAULT): one layout, loaded at once, allowed to set the title. */
export function appPage(input: {
	portalHost: string;
	title: string;
	layout: AppLayout;
	config: ClientLayoutConfig;
}): string {
	const body = `${appLayoutHtml(input.layout)}
${frameProtocolHtml([input.config])}`;
	return portalShell({ title: input.title, portalHost: input.portalHost, body });
}
