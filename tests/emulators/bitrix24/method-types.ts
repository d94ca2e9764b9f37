import type { Clock } from '../kit/index.ts';
import type { EmitOptions, EventDispatcher } from './events.ts';
import type { OAuthServer } from './oauth.ts';
import type { PhpRecord } from './php-query.ts';
import type { AppDefinition, PortalState } from './portal-state.ts';
import type { MethodResult } from './rest-envelope.ts';

/** Who is calling: an app through OAuth, or an inbound webhook. */
export interface Caller {
	kind: 'oauth' | 'webhook';
	/** The app's client_id (OAuth only). */
	appId?: string;
	userId: number;
	scope: readonly string[];
	accessToken?: string;
}

/** Everything a method handler may touch. */
export interface MethodContext {
	readonly portal: PortalState;
	readonly params: PhpRecord;
	/** The consumed `start` param (CORE rest.php removes it from the params). */
	readonly start: number | undefined;
	readonly caller: Caller;
	readonly clock: Clock;
	readonly oauth: OAuthServer;
	readonly events: EventDispatcher;
	app(clientId: string): AppDefinition | undefined;
	/** Fires an event to the portal's bound handlers in the background. */
	emit(event: string, data: PhpRecord, options?: EmitOptions): void;
}

export interface MethodSpec {
	handler(context: MethodContext): MethodResult | Promise<MethodResult>;
	/** The scope the method belongs to; a token without it gets `insufficient_scope`. */
	scope?: string;
	/** Methods that need application (OAuth) context: webhooks get 403 WRONG_AUTH_TYPE. */
	appOnly?: boolean;
}

/** A method group: one file per group, merged into the registry. */
export type MethodGroup = Record<string, MethodSpec>;
