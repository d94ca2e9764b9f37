import { ConnectChannelResultSchema, ConnectionSchema, type MessagingChannel } from '@nitka/shared';
import { z } from 'zod';
import type { ConnectorApi } from '../connector/connector-api.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';

const ConnectionListSchema = z.object({ items: z.array(ConnectionSchema) });

/**
 * Connects the demo bot, community and MAX bot through the connector's connections API, as a shop
 * would from the app's settings. A connection an earlier run made is kept: the connector already
 * long-polls it again, and its chats stay answerable.
 */
export async function ensureDemoChannels(api: ConnectorApi, platforms: DemoPlatforms): Promise<void> {
	const tokens: Record<MessagingChannel, string> = {
		telegram: platforms.telegram.token,
		vk: platforms.club.token,
		max: platforms.max.token,
	};
	const { items } = await api.call('GET', '/connections', ConnectionListSchema);
	for (const [channel, token] of Object.entries(tokens) as [MessagingChannel, string][]) {
		if (items.some((c) => c.channel === channel && c.status === 'active')) continue;
		await api.call('POST', '/connections', ConnectChannelResultSchema, { channel, token });
	}
}
