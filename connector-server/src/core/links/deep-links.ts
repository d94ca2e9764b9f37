import type { MessagingChannel } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { ChannelClient } from '../ports/channel-client.ts';

export interface DeepLink {
	channel: MessagingChannel;
	connectionId: string;
	url: string;
}

/**
 * A link carrying `token` for each active connection of the tenant whose channel makes deep links
 * (in connection order); connections without a client here (marketplaces, hosts) have none.
 */
export async function deepLinksFor(
	db: Db,
	clients: Readonly<Partial<Record<MessagingChannel, ChannelClient>>> | undefined,
	tenantId: string,
	token: string,
): Promise<DeepLink[]> {
	const connections = await db
		.selectFrom('connections')
		.select(['id', 'channel', 'settings'])
		.where('tenant_id', '=', tenantId)
		.where('status', '=', 'active')
		.orderBy('id')
		.execute();
	return connections.flatMap((row) => {
		const channel = row.channel as MessagingChannel;
		const url = clients?.[channel]?.capabilities.deepLink(
			token,
			JSON.parse(row.settings) as Record<string, unknown>,
		);
		return url ? [{ channel, connectionId: row.id, url }] : [];
	});
}
