import { createEmulatorBase, listen, type RecordedRequest } from '../kit/index.ts';
import { type PhpRecord, parsePhpQuery } from './php-query.ts';

/** A stand-in app server for tests: records every POST (install forms, events) and answers 200. */
export interface AppReceiver {
	/** `http://127.0.0.1:PORT`; the host has dots, so `event.bind` accepts it. */
	readonly url: string;
	/** Posts received at `path`, decoded the way PHP would. */
	posts(path?: string): Array<{ request: RecordedRequest; form: PhpRecord }>;
	waitFor(
		predicate: (form: PhpRecord, request: RecordedRequest) => boolean,
		timeoutMs?: number,
	): Promise<PhpRecord>;
	close(): Promise<void>;
}

export async function startAppReceiver(): Promise<AppReceiver> {
	const base = createEmulatorBase();
	base.app.use((_req, res) => {
		res.status(200).type('html').send('<!doctype html><title>app</title>');
	});
	const server = await listen(base.app);
	const decode = (request: RecordedRequest) => ({ request, form: parsePhpQuery(request.rawBody) });
	return {
		url: server.url,
		posts: (path) =>
			base.requests.filter((r) => r.method === 'POST' && (path === undefined || r.path === path)).map(decode),
		async waitFor(predicate, timeoutMs) {
			const hit = await base.requests.waitFor(
				(r) => r.method === 'POST' && predicate(parsePhpQuery(r.rawBody), r),
				timeoutMs,
			);
			return parsePhpQuery(hit.rawBody);
		},
		close: () => server.close(),
	};
}
