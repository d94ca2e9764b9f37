import { z } from 'zod';

/** Where a customer can talk to the shop (conversation channels). */
export const messagingChannels = ['telegram', 'vk', 'max'] as const;
/** Marketplaces the shop sells on. */
export const marketplaces = ['ozon', 'wildberries', 'yandex-market'] as const;
/** Every kind of connection a tenant can add; `pos` is the shop counter. */
export const connectionChannels = [...messagingChannels, ...marketplaces, 'pos'] as const;
/** The shop systems Nitka shows its timeline in. */
export const hostKinds = ['bitrix24', 'woocommerce'] as const;
/** Every origin an event can carry: connections, hosts, and Nitka itself (merges, notes by staff). */
export const eventChannels = [...connectionChannels, ...hostKinds, 'nitka'] as const;

export const MessagingChannelSchema = z.enum(messagingChannels);
export const MarketplaceSchema = z.enum(marketplaces);
export const ConnectionChannelSchema = z.enum(connectionChannels);
export const HostKindSchema = z.enum(hostKinds);
export const EventChannelSchema = z.enum(eventChannels);

export type MessagingChannel = z.infer<typeof MessagingChannelSchema>;
export type Marketplace = z.infer<typeof MarketplaceSchema>;
export type ConnectionChannel = z.infer<typeof ConnectionChannelSchema>;
export type HostKind = z.infer<typeof HostKindSchema>;
export type EventChannel = z.infer<typeof EventChannelSchema>;
