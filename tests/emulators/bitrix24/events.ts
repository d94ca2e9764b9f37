import type { Clock, FaultInjector } from '../kit/index.ts';
import type { OAuthServer } from './oauth.ts';
import { buildPhpQuery, type PhpRecord } from './php-query.ts';
import type { AppDefinition, EventBinding, PortalState } from './portal-state.ts';

/** One outbound POST the portal made (or dropped): tests assert on these. */
export interface EventDelivery {
	event: string;
	url: string;
	domain: string;
	appId: string;
	/** The payload before form encoding. */
	payload: PhpRecord;
	/** The exact `application/x-www-form-urlencoded` body. */
	body: string;
	dropped: boolean;
	status?: number;
	error?: string;
}

export interface EmitOptions {
	/** Only this app's handlers (e.g. the connector's owner for ONIMCONNECTORMESSAGEADD). */
	appId?: string;
	/** Automation-triggered changes carry no tokens (research §6.2). */
	withoutTokens?: boolean;
	/** The docs' CRM examples carry `refresh_token`; the general text says it is absent. Off by default. */
	withRefreshToken?: boolean;
	/** The user whose token is sent when the binding has no `auth_type`. */
	userId?: number;
}

interface EventDeps {
	clock: Clock;
	faults: FaultInjector;
	oauth: OAuthServer;
	app(clientId: string): AppDefinition | undefined;
}

/**
 * Sends events the way the portal's queue does: one form-encoded POST per bound handler, never
 * retried, and silently dropped when a `drop` fault matches the event name.
 */
export class EventDispatcher {
	readonly deliveries: EventDelivery[] = [];
	readonly #pending = new Set<Promise<unknown>>();

	constructor(private readonly deps: EventDeps) {}

	/** The `auth[...]` block of an event (research §5.3, §6.2). */
	authBlock(portal: PortalState, appId: string, userId: number, options: EmitOptions = {}): PhpRecord {
		const app = this.deps.app(appId);
		const install = portal.installs.get(appId);
		const common = {
			domain: portal.domain,
			server_endpoint: this.deps.oauth.serverEndpoint,
			status: app?.status ?? 'L',
			client_endpoint: portal.clientEndpoint,
			member_id: portal.memberId,
		};
		if (options.withoutTokens) return { ...common, application_token: install?.applicationToken ?? '' };
		const pair = this.deps.oauth.issue(portal.domain, appId, userId);
		return {
			access_token: pair.accessToken,
			expires: pair.expires,
			expires_in: pair.expiresIn,
			scope: pair.scope,
			...common,
			user_id: userId,
			...(options.withRefreshToken ? { refresh_token: pair.refreshToken } : {}),
			application_token: install?.applicationToken ?? '',
		};
	}

	/** Fires `event` to every handler bound on the portal by an app whose installation is finished. */
	emit(portal: PortalState, event: string, data: PhpRecord, options: EmitOptions = {}): Promise<void> {
		const name = event.toUpperCase();
		const targets = portal.events.filter(
			(binding) =>
				binding.event === name &&
				!binding.offline &&
				(options.appId === undefined || binding.appId === options.appId) &&
				portal.installs.get(binding.appId)?.installed === true,
		);
		const sends = targets.map((binding) => this.#sendBound(portal, binding, data, options));
		return Promise.all(sends).then(() => undefined);
	}

	#sendBound(portal: PortalState, binding: EventBinding, data: PhpRecord, options: EmitOptions) {
		const install = portal.installs.get(binding.appId);
		const userId = binding.authType || options.userId || install?.installedBy || 1;
		const payload: PhpRecord = {
			event: binding.event,
			event_handler_id: binding.id,
			data,
			ts: Math.floor(this.deps.clock.now() / 1000),
			auth: this.authBlock(portal, binding.appId, userId, options),
		};
		return this.send(portal, binding.appId, binding.handler, payload);
	}

	/** Posts one payload (also used for ONAPPINSTALL / ONAPPUNINSTALL). Never throws, never retries. */
	send(portal: PortalState, appId: string, url: string, payload: PhpRecord): Promise<EventDelivery> {
		const event = String(payload.event ?? '');
		const delivery: EventDelivery = {
			event,
			url,
			domain: portal.domain,
			appId,
			payload,
			body: buildPhpQuery(payload),
			dropped: false,
		};
		this.deliveries.push(delivery);
		const run = (async () => {
			const fault = await this.deps.faults.apply(event);
			if (fault?.kind === 'drop') {
				delivery.dropped = true;
				return delivery;
			}
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: {
						'content-type': 'application/x-www-form-urlencoded',
						'user-agent': 'Bitrix24 Webhook Engine',
					},
					body: delivery.body,
				});
				delivery.status = response.status;
				await response.arrayBuffer();
			} catch (error) {
				delivery.error = error instanceof Error ? error.message : String(error);
			}
			return delivery;
		})();
		this.#pending.add(run);
		void run.finally(() => this.#pending.delete(run));
		return run;
	}

	/** Resolves when every delivery started so far has finished (or failed). */
	async settled(): Promise<void> {
		while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
	}
}
