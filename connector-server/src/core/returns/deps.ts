import type { MessagingChannel } from '@nitka/shared';
import type { Clock } from '../clock.ts';
import type { CounterKeys } from '../counter/qr-tokens.ts';
import type { EventReactor } from '../ingest/ingest.ts';

export interface ReturnDeps {
	clock: Clock;
	/** Signs the return QR (the counter's keys: the counter spends it). */
	keys: CounterKeys;
	/** The connector's public base URL for the return QR page. */
	baseUrl: () => string | undefined;
	/** The server's reactors (this journey's among them), read when needed: composed after it. */
	reactors: () => readonly EventReactor[];
	/** Resolves once what was committed would survive a power cut. */
	durable: () => Promise<void>;
	/** Something was enqueued: wake the outbox. */
	committed: () => void;
	/** Whether a chat is one person's; absent: every chat is. */
	privateChat?: (channel: MessagingChannel, chatId: string) => boolean;
}
