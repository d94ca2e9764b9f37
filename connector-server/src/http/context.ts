import type { Logger } from 'pino';
import type { CardRuntime } from '../core/card/card-runtime.ts';
import type { Clock } from '../core/clock.ts';
import type { ChannelRuntime } from '../core/conversations/channel-runtime.ts';
import type { CounterRuntime } from '../core/counter/runtime.ts';
import type { InboxWriter } from '../core/inbox/inbox-writer.ts';
import type { MarketplaceRuntime } from '../core/orders/marketplace-runtime.ts';
import type { ChannelAdapter } from '../core/ports/channel.ts';
import type { PromoRuntime } from '../core/promos/runtime.ts';
import type { ReturnsRuntime } from '../core/returns/runtime.ts';
import type { Db } from '../db/database.ts';
import type { Bitrix24Runtime } from '../hosts/bitrix24/runtime.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { SessionTokens } from '../security/session-tokens.ts';

/** What route handlers may use; built once by the server's composition root. */
export interface AppContext {
	db: Db;
	clock: Clock;
	box: SecretBox;
	logger: Logger;
	metrics: Metrics;
	inbox: InboxWriter;
	adapters: Readonly<Partial<Record<string, ChannelAdapter>>>;
	/** Readiness of the background workers (true while their loops beat). */
	workersReady(): boolean;
	version: string;
	publicUrl: string | undefined;
	bodyLimit: string;
	/** Messaging channels: connect, reply, pollers (absent in servers built without them). */
	channels?: ChannelRuntime;
	/** Marketplace connections, sync and pushes (absent in servers built without them). */
	marketplaces?: MarketplaceRuntime;
	/** Verifies host UIs' session tokens (absent: API keys only). */
	sessions?: SessionTokens;
	/** The Bitrix24 host (absent when the server has no Bitrix24 app credentials). */
	bitrix24?: Bitrix24Runtime;
	/** The counter: QR keys, the reactors its events run through (absent: counter routes answer 503). */
	counter?: CounterRuntime;
	/** The customer's card: link keys and base URL (absent: /card pages answer 404). */
	card?: CardRuntime;
	/** Promo campaigns (journey 2): issuing codes (absent: issuing answers 503). */
	promos?: PromoRuntime;
	/** Returns (journey 3): settings, approval (absent: the return routes answer 503). */
	returns?: ReturnsRuntime;
}
