import type { MessagingChannel } from '@nitka/shared';
import type { Clock } from '../clock.ts';
import { type CounterKeys, deriveCounterKeys } from '../counter/qr-tokens.ts';
import type { EventReactor } from '../ingest/ingest.ts';
import { deriveCardAccessKey } from './card-access.ts';
import { createCardReactor } from './card-reactor.ts';

/** The customer's card as the server wires it: keys, where links point, the "My card" reactor. */
export interface CardRuntime {
	/** Signs and checks `/card/<access>` links. */
	readonly accessKey: Buffer;
	/** Signs the QR tokens the card shows (the counter's keys). */
	readonly counterKeys: CounterKeys;
	/** The connector's public base URL for card links (PUBLIC_URL, else its own address). */
	baseUrl(): string | undefined;
	readonly reactor: EventReactor;
}

export function createCardRuntime(deps: {
	masterKey: Buffer;
	clock: Clock;
	baseUrl: () => string | undefined;
	privateChat?: (channel: MessagingChannel, chatId: string) => boolean;
}): CardRuntime {
	const accessKey = deriveCardAccessKey(deps.masterKey);
	return {
		accessKey,
		counterKeys: deriveCounterKeys(deps.masterKey),
		baseUrl: deps.baseUrl,
		reactor: createCardReactor({
			clock: deps.clock,
			accessKey,
			baseUrl: deps.baseUrl,
			...(deps.privateChat ? { privateChat: deps.privateChat } : {}),
		}),
	};
}
