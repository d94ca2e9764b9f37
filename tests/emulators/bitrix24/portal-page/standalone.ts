import { createEmulatorBase, listen, type RequestLog, type RunningEmulator } from '../../kit/index.ts';
import { restProxy } from './rest-proxy.ts';
import {
	type Bitrix24PortalPage,
	type Bitrix24PortalPageOptions,
	createBitrix24PortalPage,
} from './router.ts';

export interface StartBitrix24PortalPageOptions extends Bitrix24PortalPageOptions {
	/** Port on 127.0.0.1; default a free one. */
	port?: number;
	/**
	 * Base URL of a REST emulator running elsewhere; its `/rest/*` and `/oauth/*` are proxied so
	 * B24Frame's REST calls (sent to this page's origin) reach it.
	 */
	restUpstream?: string;
}

export interface RunningBitrix24PortalPage extends Bitrix24PortalPage, RunningEmulator {
	/** Every HTTP request the page server received. */
	readonly requests: RequestLog;
}

/** Runs the portal pages on their own loopback server, for tests that have no REST emulator app to mount on. */
export async function startBitrix24PortalPage(
	options: StartBitrix24PortalPageOptions = {},
): Promise<RunningBitrix24PortalPage> {
	const base = createEmulatorBase();
	const page = createBitrix24PortalPage(options);
	if (options.restUpstream) base.app.use(['/rest', '/oauth'], restProxy(options.restUpstream));
	base.app.use(page.router);
	const running = await listen(base.app, options.port);
	return {
		...page,
		requests: base.requests,
		url: running.url,
		port: running.port,
		close: running.close,
	};
}
