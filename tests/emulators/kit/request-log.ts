import { EntryLog } from './entry-log.ts';

/** One request as the emulator received it. */
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, unknown>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	rawBody: string;
	at: number;
}

/** Everything an emulator received, in order, for tests to assert on. */
export class RequestLog extends EntryLog<RecordedRequest> {
	constructor() {
		super('request', 5_000);
	}
}
