import type { Connection, MessagingChannel } from '@nitka/shared';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { randomToken } from '../../security/tokens.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, NitkaError, ValidationError } from '../errors.ts';
import {
	type ChannelClient,
	type ConnectedChannel,
	InvalidCredentialsError,
} from '../ports/channel-client.ts';
import { createConnection, loadConnection, toConnection } from '../tenants/connections.ts';
import type { ChannelPollers } from './channel-pollers.ts';

export interface ConnectionDeps {
	db: Db;
	box: SecretBox;
	clock: Clock;
	logger: Logger;
	clients: Readonly<Partial<Record<MessagingChannel, ChannelClient>>>;
	pollers: ChannelPollers;
	publicUrl: string | undefined;
}

/** The platform could not be reached or refused a setup call: the caller may retry later. */
class PlatformUnavailableError extends NitkaError {
	constructor(message: string, cause: unknown) {
		super('platform_unavailable', 502, message, { cause });
	}
}

/**
 * Connects a bot or community: validates the token with the platform, stores the connection with
 * its secrets sealed (so webhook settings exist before the platform's first call), then registers
 * the webhook when a public URL is configured, or starts long polling inside this server.
 */
export async function connectChannel(
	deps: ConnectionDeps,
	input: { tenantId: string; channel: MessagingChannel; token: string; name?: string | undefined },
): Promise<{ connection: Connection; mode: 'webhook' | 'polling' }> {
	const client = deps.clients[input.channel];
	if (!client) throw new ValidationError(`channel ${input.channel} is not available`);
	const credentials = { token: input.token };
	const prepared = await client.prepare({ credentials }).catch((error: unknown) => {
		if (error instanceof InvalidCredentialsError)
			throw new ValidationError('the platform rejected the token', [
				{ path: 'body.token', message: error.message },
			]);
		throw new PlatformUnavailableError(`could not validate the token with ${input.channel}`, error);
	});
	const mode = deps.publicUrl ? 'webhook' : 'polling';
	const webhookSecret = mode === 'webhook' ? randomToken(32) : null;
	const at = deps.clock.now();
	const created = await createConnection(
		deps.db,
		deps.box,
		{
			tenantId: input.tenantId,
			channel: input.channel,
			name: input.name ?? prepared.name,
			credentials,
			webhookSecret,
			settings: { ...prepared.settings, mode },
		},
		at,
	);
	const connected: ConnectedChannel = {
		connectionId: created.id,
		tenantId: input.tenantId,
		credentials,
		settings: { ...prepared.settings, mode },
		webhookSecret,
	};
	const webhookUrl =
		mode === 'webhook' ? `${deps.publicUrl}/hooks/${input.channel}/${created.id}` : undefined;
	let extra: Record<string, unknown>;
	try {
		extra = await client.activate(connected, webhookUrl);
	} catch (error) {
		await setStatus(
			deps,
			input.tenantId,
			created.id,
			'error',
			`activation failed: ${(error as Error).message}`,
		);
		throw new PlatformUnavailableError(`could not register with ${input.channel}`, error);
	}
	connected.settings = { ...connected.settings, ...extra };
	await deps.db
		.updateTable('connections')
		.set({ settings: JSON.stringify(connected.settings), updated_at: deps.clock.now() })
		.where('tenant_id', '=', input.tenantId)
		.where('id', '=', created.id)
		.execute();
	if (mode === 'polling') await deps.pollers.start(input.channel, connected);
	deps.logger.info({ channel: input.channel, connection: created.id, mode }, 'channel connected');
	return { connection: created, mode };
}

/**
 * Disconnects: stops polling, removes the webhook on the platform (best effort: a revoked token
 * must not keep a shop from disconnecting) and forgets the webhook secret, so late deliveries get 401.
 */
export async function disconnectChannel(
	deps: ConnectionDeps,
	tenantId: string,
	connectionId: string,
): Promise<Connection> {
	const loaded = await loadConnection(deps.db, deps.box, connectionId, tenantId);
	if (loaded.connection.status === 'disconnected') throw new ConflictError('already disconnected');
	await deps.pollers.stop(connectionId);
	const client = deps.clients[loaded.connection.channel as MessagingChannel];
	if (client) {
		await client
			.deactivate({
				connectionId,
				tenantId,
				credentials: loaded.credentials,
				settings: loaded.settings,
				webhookSecret: loaded.webhookSecret,
			})
			.catch((error: unknown) =>
				deps.logger.warn(
					{ connection: connectionId, err: (error as Error).message },
					'webhook removal failed',
				),
			);
	}
	return await setStatus(deps, tenantId, connectionId, 'disconnected', null);
}

async function setStatus(
	deps: ConnectionDeps,
	tenantId: string,
	id: string,
	status: Connection['status'],
	lastError: string | null,
): Promise<Connection> {
	const row = await deps.db
		.updateTable('connections')
		.set({
			status,
			last_error: lastError,
			updated_at: deps.clock.now(),
			...(status === 'disconnected' ? { webhook_secret: null } : {}),
		})
		.where('tenant_id', '=', tenantId)
		.where('id', '=', id)
		.returningAll()
		.executeTakeFirstOrThrow();
	return toConnection(row);
}
