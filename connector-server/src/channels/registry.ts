import type { ConnectionChannel, MessagingChannel } from '@nitka/shared';
import type { ChannelAdapter } from '../core/ports/channel.ts';
import type { ChannelClient } from '../core/ports/channel-client.ts';
import { createMaxClient } from './max/client.ts';
import { maxAdapter } from './max/index.ts';
import { createTelegramClient } from './telegram/client.ts';
import { telegramAdapter } from './telegram/index.ts';
import { createVkClient } from './vk/client.ts';
import { vkAdapter } from './vk/index.ts';

/** Every channel adapter, by channel. Adding a channel is one line here. */
export const channelAdapters = {
	telegram: telegramAdapter,
	vk: vkAdapter,
	max: maxAdapter,
} as const satisfies Partial<Record<ConnectionChannel, ChannelAdapter>>;

export type RegisteredChannel = keyof typeof channelAdapters;

/** Where each platform's API lives; tests and demo mode point these at the emulators. */
export type ChannelApiEndpoints = Partial<Record<MessagingChannel, string>>;

/** Every channel client, by channel (connect, poll, send, media). */
export function createChannelClients(
	endpoints: ChannelApiEndpoints = {},
): Record<MessagingChannel, ChannelClient> {
	return {
		telegram: createTelegramClient(endpoints.telegram),
		vk: createVkClient(endpoints.vk),
		max: createMaxClient(endpoints.max),
	};
}
