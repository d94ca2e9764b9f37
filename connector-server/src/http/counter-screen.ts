import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { sendProblem } from './problem.ts';

/** The built counter screen (`npm run build -w connector-server/counter-screen`). */
export const DEFAULT_COUNTER_SCREEN_DIST = fileURLToPath(
	new URL('../../counter-screen/dist', import.meta.url),
);

/**
 * Serves the counter screen (docs/counter.md) at `/counter/` under the global helmet: its CSP
 * (scripts, styles and connections to this origin only) fits the screen as it is. `/counter`
 * redirects to `/counter/` so the page's relative asset and API URLs work behind any path prefix.
 * Hashed assets are cached for good; the page itself is revalidated, so a new build shows at once.
 */
export function counterScreenPage(dist = DEFAULT_COUNTER_SCREEN_DIST): Router {
	const index = path.join(dist, 'index.html');
	const router = express.Router();
	router.get('/counter', (req, res, next) => {
		const [pathname, query] = req.originalUrl.split('?', 2);
		if (pathname?.endsWith('/')) {
			next();
			return;
		}
		res.redirect(301, `counter/${query === undefined ? '' : `?${query}`}`);
	});
	router.use('/counter', (_req, res, next) => {
		if (existsSync(index)) {
			next();
			return;
		}
		sendProblem(res, {
			status: 503,
			code: 'counter_screen_not_built',
			detail: 'the counter screen is not built: run `npm run build` in the repository',
		});
	});
	router.use(
		'/counter',
		express.static(dist, {
			index: 'index.html',
			redirect: false,
			fallthrough: true,
			setHeaders: (res, file) => {
				if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
				else if (file.includes(`${path.sep}assets${path.sep}`))
					res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
			},
		}),
	);
	return router;
}
