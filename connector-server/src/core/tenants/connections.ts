import type { Connection, ConnectionChannel } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { newId, toIso } from '../clock.ts';
import { NotFoundError } from '../errors.ts';

type ConnectionRow = Omit<Database['connections'], 'credentials' | 'webhook_secret' | 'settings'>;

export const toConnection = (row: ConnectionRow): Connection => ({
	id: row.id,
	tenantId: row.tenant_id,
	channel: row.channel as ConnectionChannel,
	name: row.name,
	status: row.status as Connection['status'],
	lastError: row.last_error,
	createdAt: toIso(Number(row.created_at)),
	updatedAt: toIso(Number(row.updated_at)),
});

// The associated data binds a sealed secret to its row: copying it elsewhere makes it undecryptable.
const credentialContext = (tenantId: string, id: string) => `connection:${tenantId}:${id}:credentials`;
const webhookContext = (tenantId: string, id: string) => `connection:${tenantId}:${id}:webhook`;

export interface NewConnection {
	tenantId: string;
	channel: ConnectionChannel;
	name: string;
	credentials: Record<string, string>;
	webhookSecret?: string | null;
	settings?: Record<string, unknown>;
}

/** Stores a connection with its credentials and webhook secret sealed (AES-256-GCM). */
export async function createConnection(
	db: Db,
	box: SecretBox,
	input: NewConnection,
	at: number,
): Promise<Connection> {
	const id = newId(at);
	const row = {
		id,
		tenant_id: input.tenantId,
		channel: input.channel,
		name: input.name,
		status: 'active',
		credentials: box.seal(JSON.stringify(input.credentials), credentialContext(input.tenantId, id)),
		webhook_secret: input.webhookSecret
			? box.seal(input.webhookSecret, webhookContext(input.tenantId, id))
			: null,
		settings: JSON.stringify(input.settings ?? {}),
		last_error: null,
		created_at: at,
		updated_at: at,
	};
	await db.insertInto('connections').values(row).execute();
	return toConnection(row);
}

export interface ConnectionSecrets {
	connection: Connection;
	credentials: Record<string, string>;
	webhookSecret: string | null;
	settings: Record<string, unknown>;
}

/** Loads a tenant's connection with its secrets opened; another tenant's id is not found. */
export async function loadConnection(
	db: Db,
	box: SecretBox,
	id: string,
	tenantId: string,
): Promise<ConnectionSecrets> {
	const row = await db
		.selectFrom('connections')
		.selectAll()
		.where('id', '=', id)
		.where('tenant_id', '=', tenantId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`connection ${id}`);
	return openRow(box, row);
}

/**
 * Loads a connection for a webhook intake, where the URL names the connection and the tenant comes
 * from it. Only an active connection is found: a disconnected bot's late deliveries are not stored.
 */
export async function loadConnectionForWebhook(
	db: Db,
	box: SecretBox,
	id: string,
): Promise<ConnectionSecrets> {
	const row = await db
		.selectFrom('connections')
		.selectAll()
		.where('id', '=', id)
		.where('status', '=', 'active')
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`connection ${id}`);
	return openRow(box, row);
}

function openRow(box: SecretBox, row: Database['connections']): ConnectionSecrets {
	return {
		connection: toConnection(row),
		credentials: JSON.parse(box.open(row.credentials, credentialContext(row.tenant_id, row.id))) as Record<
			string,
			string
		>,
		webhookSecret: row.webhook_secret
			? box.open(row.webhook_secret, webhookContext(row.tenant_id, row.id))
			: null,
		settings: JSON.parse(row.settings) as Record<string, unknown>,
	};
}

export async function listConnections(db: Db, tenantId: string): Promise<Connection[]> {
	const rows = await db
		.selectFrom('connections')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.orderBy('id')
		.execute();
	return rows.map(toConnection);
}
