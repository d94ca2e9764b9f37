import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Router } from 'express';
import helmet from 'helmet';

/** The repository's built bitrix-app (`npm run build -w bitrix-app`). */
export const DEFAULT_APP_DIST = fileURLToPath(new URL('../../../../bitrix-app/dist', import.meta.url));

/**
 * Any https portal may frame the app (boxed Bitrix24 runs on arbitrary domains). The frame's
 * b24jssdk calls the portal's REST from the page, so connect-src admits `https:` portals too; never
 * an http origin, except the loopback forms of the emulated portal, and those only when the app
 * itself is served from loopback (development, the emulator): a deployed connector's page never
 * lists them.
 */
const LOOPBACK_PORTALS = 'http://127.0.0.1:* http://localhost:*';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const portals = (req: IncomingMessage) =>
	LOOPBACK_HOSTS.has((req as Request).hostname ?? '') ? `https: ${LOOPBACK_PORTALS}` : 'https:';

/**
 * Serves the built bitrix-app at `/bitrix24/app/` with headers that let a portal frame it; the
 * global helmet stays strict for every other path because this router answers before it. The portal
 * opens the app with a form POST (research §1.1), so POST answers index.html too; the app reads its
 * auth from the frame (b24jssdk), never from that body. Null when there is no build.
 */
export function createAppPage(dist = DEFAULT_APP_DIST): Router | null {
	const index = path.join(dist, 'index.html');
	if (!existsSync(index)) return null;
	const router = express.Router();
	router.use(
		helmet({
			frameguard: false,
			contentSecurityPolicy: {
				directives: { 'frame-ancestors': ["'self'", portals], 'connect-src': ["'self'", portals] },
			},
		}),
	);
	router.post(['/', '/index.html'], (_req, res) => {
		res.set('Cache-Control', 'no-cache').sendFile(index);
	});
	router.use(
		express.static(dist, {
			index: 'index.html',
			setHeaders: (res, file) => {
				if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
			},
		}),
	);
	return router;
}
