import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
	type ChannelClient,
	type ConnectedChannel,
	type DataButton,
	InvalidCredentialsError,
	isLinkButton,
	type OutboundButton,
} from '../../core/ports/channel-client.ts';
import { vkButtonPayload } from './button-payload.ts';
import { fetchVkMedia } from './media.ts';
import { startVkPoller } from './poller.ts';
import { toConnectError, toDeliveryError } from './send-errors.ts';
import { vkSentKey } from './sent-key.ts';
import { VK_API_VERSION, vkApi } from './vk-api.ts';

/** Event types Nitka reads from the Callback API or Long Poll. */
const EVENT_FLAGS = {
	message_new: 1,
	message_reply: 1,
	message_edit: 1,
	message_allow: 1,
	message_deny: 1,
	message_event: 1,
};
const PRESS = /^event:(.+):(\d+)$/;

const GroupsSchema = z.union([
	z.looseObject({
		groups: z.array(
			z.looseObject({ id: z.number().int(), name: z.string(), screen_name: z.string().optional() }),
		),
	}),
	z.array(z.looseObject({ id: z.number().int(), name: z.string(), screen_name: z.string().optional() })),
]);

/**
 * `random_id` derived from the outbox job id: a retried job carries the same id, so VK drops the
 * duplicate instead of sending the message twice. Positive int32, never 0 (0 disables the check).
 */
export function randomIdOf(jobId: string): number {
	const n = createHash('sha256').update(jobId).digest().readUInt32BE(0) & 0x7fffffff;
	return n === 0 ? 1 : n;
}

/**
 * A `messages_keyboard_button`: `open_link` opens the link (no event comes back), `callback`
 * comes back as message_event. Labels are cut to VK's 40 chars.
 */
export function vkButton(button: OutboundButton): { action: Record<string, string> } {
	const label = button.text.slice(0, 40);
	return isLinkButton(button)
		? { action: { type: 'open_link', link: button.url, label } }
		: { action: { type: 'callback', label, payload: vkButtonPayload(button.data) } };
}

/** VK's keyboard caps (bots guide): rows of at most 5; a regular keyboard 10 rows and 40 buttons, an inline one 6 rows and 10. */
export const VK_KEYBOARD_LIMITS = {
	rowWidth: 5,
	regular: { rows: 10, buttons: 40 },
	inline: { rows: 6, buttons: 10 },
} as const;
/** Menu buttons per row: two keep labels such as «Моя карта» whole on a phone. */
const MENU_ROW_WIDTH = 2;

function rows<T>(items: T[], width: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += width) out.push(items.slice(i, i + width));
	return out;
}

/**
 * The message's keyboard: inline buttons under the message; with a menu, a regular keyboard
 * instead (VK gives a message one keyboard), which stays under the input field: the message's
 * buttons first, the menu's text buttons below, two a row (their press is a message_new with the
 * label as text and the Nitka payload). VK's caps hold: rows of ≤ 5, ≤ 10 rows and 40 buttons
 * (inline: 6 rows, 10 buttons); what would not fit is left out, menu rows first.
 */
export function vkKeyboard(buttons: OutboundButton[], menu: DataButton[]): Record<string, unknown> {
	if (menu.length === 0) {
		const { rows: maxRows, buttons: maxButtons } = VK_KEYBOARD_LIMITS.inline;
		return {
			inline: true,
			buttons: rows(buttons.slice(0, maxButtons).map(vkButton), VK_KEYBOARD_LIMITS.rowWidth).slice(
				0,
				maxRows,
			),
		};
	}
	const { rows: maxRows, buttons: maxButtons } = VK_KEYBOARD_LIMITS.regular;
	const messageRows = rows(buttons.slice(0, maxButtons).map(vkButton), VK_KEYBOARD_LIMITS.rowWidth).slice(
		0,
		maxRows - 1,
	);
	const room = maxButtons - messageRows.flat().length;
	const menuRows = rows(
		menu.slice(0, room).map((b) => ({
			action: { type: 'text', label: b.text.slice(0, 40), payload: vkButtonPayload(b.data) },
			color: 'primary',
		})),
		MENU_ROW_WIDTH,
	).slice(0, maxRows - messageRows.length);
	return { one_time: false, inline: false, buttons: [...messageRows, ...menuRows] };
}

const tokenOf = (connection: ConnectedChannel): string => {
	const token = connection.credentials.token;
	if (!token) throw new Error('connection has no community token');
	return token;
};

/** VK community messages through vk-io's API client, behind the ChannelClient port. */
export function createVkClient(apiBaseUrl = 'https://api.vk.ru/method'): ChannelClient {
	const api = (connection: ConnectedChannel) => vkApi(apiBaseUrl, tokenOf(connection));
	const groupId = (connection: ConnectedChannel) => Number(connection.settings.groupId);
	return {
		channel: 'vk',
		capabilities: {
			// VK accepts longer texts, but clients show 4096-char messages; parts stay readable.
			maxTextLength: 4096,
			sendLimits: (connectionId) => [{ key: `vk:token:${connectionId}`, capacity: 20, perSecond: 20 }],
			deepLink: (token, settings) =>
				typeof settings.groupId === 'number' ? `https://vk.me/club${settings.groupId}?ref=${token}` : null,
			// Group chats are peers from 2000000000 on; a user's dialog is their user id.
			privateChat: (chatId) => Number(chatId) > 0 && Number(chatId) < 2_000_000_000,
		},
		async prepare({ credentials }) {
			if (!credentials.token) throw new InvalidCredentialsError('a community token is required');
			const client = vkApi(apiBaseUrl, credentials.token);
			try {
				const answer = GroupsSchema.parse(await client.call('groups.getById', {}));
				const group = (Array.isArray(answer) ? answer : answer.groups)[0];
				if (!group) throw new InvalidCredentialsError('the token belongs to no community');
				const code = z
					.looseObject({ code: z.string() })
					.parse(await client.call('groups.getCallbackConfirmationCode', { group_id: group.id }));
				return {
					name: group.name,
					settings: { groupId: group.id, screenName: group.screen_name ?? null, confirmationCode: code.code },
				};
			} catch (error) {
				throw toConnectError(error);
			}
		},
		async activate(connection, webhookUrl) {
			const client = api(connection);
			if (webhookUrl) {
				const added = z.looseObject({ server_id: z.number().int() }).parse(
					await client.call('groups.addCallbackServer', {
						group_id: groupId(connection),
						url: webhookUrl,
						title: 'Nitka',
						secret_key: connection.webhookSecret ?? '',
					}),
				);
				await client.call('groups.setCallbackSettings', {
					group_id: groupId(connection),
					server_id: added.server_id,
					api_version: VK_API_VERSION,
					...EVENT_FLAGS,
				});
				return { callbackServerId: added.server_id, webhookUrl };
			}
			await client.call('groups.setLongPollSettings', {
				group_id: groupId(connection),
				enabled: 1,
				api_version: VK_API_VERSION,
				...EVENT_FLAGS,
			});
			return {};
		},
		async deactivate(connection) {
			const serverId = connection.settings.callbackServerId;
			if (typeof serverId === 'number')
				await api(connection).call('groups.deleteCallbackServer', {
					group_id: groupId(connection),
					server_id: serverId,
				});
		},
		poll: (connection, sink, cursor, onError) =>
			startVkPoller(
				() => api(connection).call('groups.getLongPollServer', { group_id: groupId(connection) }),
				sink,
				cursor,
				onError,
			),
		async send(message, connection, job) {
			try {
				const id = await api(connection).call('messages.send', {
					peer_id: Number(message.chatId),
					message: message.text,
					random_id: randomIdOf(job.id),
					...(message.buttons?.length || message.menu?.length
						? { keyboard: JSON.stringify(vkKeyboard(message.buttons ?? [], message.menu ?? [])) }
						: {}),
				});
				return { externalId: String(id) };
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
		fetchMedia: (ref) => fetchVkMedia(ref, apiBaseUrl),
		echoSourceKey: (connection, job) => vkSentKey(String(groupId(connection)), randomIdOf(job.id)),
		async acknowledge(press, connection) {
			// Callback buttons only (`event:<event_id>:<user_id>`); text-keyboard payloads need no answer.
			const match = PRESS.exec(press.externalId);
			if (!match) return;
			try {
				await api(connection).call('messages.sendMessageEventAnswer', {
					event_id: match[1],
					user_id: Number(match[2]),
					peer_id: Number(press.chatId),
				});
			} catch (error) {
				throw toDeliveryError(error);
			}
		},
	};
}
