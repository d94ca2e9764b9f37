import { VkApiError } from '../errors.ts';
import type { MethodContext, MethodTable } from '../method-context.ts';
import { flagParam, intParam } from '../params.ts';
import type { CallbackServer, Community } from '../state.ts';
import { type JsonObject, MESSAGE_EVENT_TYPES } from '../types.ts';
import { compareVersions, isVersion } from '../version.ts';

/** VK allows up to 10 Callback servers per community (channels.md §3.4). */
const MAX_CALLBACK_SERVERS = 10;

/** `group_id` must name the token's own community: a community key reaches only its community. */
function ownGroup(ctx: MethodContext): Community {
	const groupId = intParam(ctx.params, 'group_id', true);
	if (groupId !== ctx.community.id) throw new VkApiError(15, 'no access to this community');
	return ctx.community;
}

function groupObject(community: Community): JsonObject {
	const photo = (size: number) => `https://emulator.invalid/vk/club${community.id}/photo_${size}.png`;
	return {
		id: community.id,
		name: community.name,
		screen_name: community.screen_name,
		is_closed: 0,
		type: 'group',
		photo_50: photo(50),
		photo_100: photo(100),
		photo_200: photo(200),
	};
}

/** Applies `<event>=0|1` flags (and `api_version`) from set*Settings to an event set. */
function applyEventFlags(ctx: MethodContext, events: Set<string>): string | undefined {
	for (const type of MESSAGE_EVENT_TYPES) {
		const flag = flagParam(ctx.params, type);
		if (flag === true) events.add(type);
		if (flag === false) events.delete(type);
	}
	const version = ctx.params.api_version;
	if (version !== undefined && !isVersion(version)) throw new VkApiError(100, 'api_version is invalid');
	return version;
}

function eventsObject(events: Set<string>): JsonObject {
	return Object.fromEntries(MESSAGE_EVENT_TYPES.map((type) => [type, events.has(type) ? 1 : 0]));
}

function callbackServer(community: Community, serverId: number | undefined): CallbackServer {
	const server = serverId === undefined ? undefined : community.callbackServers.get(serverId);
	if (!server) throw new VkApiError(100, 'server_id is invalid');
	return server;
}

export const groupsMethods: MethodTable = {
	'groups.getById': (ctx) => {
		const ids = (ctx.params.group_ids ?? ctx.params.group_id ?? String(ctx.community.id))
			.split(',')
			.map((raw) => raw.trim())
			.filter(Boolean);
		const groups = ids.map((raw) => {
			const found = [...ctx.state.communities.values()].find(
				(c) => String(c.id) === raw || c.screen_name === raw || `club${c.id}` === raw,
			);
			if (!found) throw new VkApiError(100, 'group_ids is invalid');
			return groupObject(found);
		});
		// The response shape depends on `v` (see VkEmulatorOptions.getByIdObjectSince).
		if (compareVersions(ctx.version, ctx.options.getByIdObjectSince) >= 0) return { groups, profiles: [] };
		return groups;
	},

	'groups.getLongPollServer': (ctx) => {
		const community = ownGroup(ctx);
		if (!community.longPoll.enabled) throw new VkApiError(100, 'Long Poll is disabled for this community');
		return ctx.longPoll.serverFor(community.id, ctx.baseUrl);
	},

	'groups.setLongPollSettings': (ctx) => {
		const community = ownGroup(ctx);
		const enabled = flagParam(ctx.params, 'enabled');
		if (enabled !== undefined) community.longPoll.enabled = enabled;
		const version = applyEventFlags(ctx, community.longPoll.events);
		if (version) community.longPoll.apiVersion = version;
		return 1;
	},

	'groups.getLongPollSettings': (ctx) => {
		const community = ownGroup(ctx);
		return {
			is_enabled: community.longPoll.enabled,
			api_version: community.longPoll.apiVersion,
			events: eventsObject(community.longPoll.events),
		};
	},

	'groups.getCallbackConfirmationCode': (ctx) => ({ code: ownGroup(ctx).confirmationCode }),

	'groups.addCallbackServer': (ctx) => {
		const community = ownGroup(ctx);
		const url = ctx.params.url;
		const title = ctx.params.title;
		if (!url) throw new VkApiError(100, 'url is undefined');
		if (!title) throw new VkApiError(100, 'title is undefined');
		if (title.length > 14) throw new VkApiError(100, 'title is too long');
		const secret = ctx.params.secret_key ?? '';
		if (secret.length > 50) throw new VkApiError(100, 'secret_key is too long');
		if (community.callbackServers.size >= MAX_CALLBACK_SERVERS) throw new VkApiError(2000);
		const server: CallbackServer = {
			id: community.nextServerId++,
			title,
			url,
			secret_key: secret,
			creator_id: 0,
			status: 'unconfigured',
			apiVersion: ctx.version,
			events: new Set(['message_new']),
		};
		community.callbackServers.set(server.id, server);
		// VK confirms a new server by sending it the `confirmation` event.
		void ctx.sender.confirm(community, server);
		return { server_id: server.id };
	},

	'groups.editCallbackServer': (ctx) => {
		const community = ownGroup(ctx);
		const server = callbackServer(community, intParam(ctx.params, 'server_id', true));
		if (ctx.params.url) server.url = ctx.params.url;
		if (ctx.params.title) server.title = ctx.params.title.slice(0, 14);
		if (ctx.params.secret_key !== undefined) server.secret_key = ctx.params.secret_key;
		void ctx.sender.confirm(community, server);
		return 1;
	},

	'groups.deleteCallbackServer': (ctx) => {
		const community = ownGroup(ctx);
		const server = callbackServer(community, intParam(ctx.params, 'server_id', true));
		community.callbackServers.delete(server.id);
		return 1;
	},

	'groups.getCallbackServers': (ctx) => {
		const community = ownGroup(ctx);
		const items = [...community.callbackServers.values()].map((s) => ({
			id: s.id,
			title: s.title,
			creator_id: s.creator_id,
			url: s.url,
			secret_key: s.secret_key,
			status: s.status,
		}));
		return { count: items.length, items };
	},

	'groups.setCallbackSettings': (ctx) => {
		const community = ownGroup(ctx);
		const server = callbackServer(community, intParam(ctx.params, 'server_id', true));
		const version = applyEventFlags(ctx, server.events);
		if (version) server.apiVersion = version;
		return 1;
	},

	'groups.getCallbackSettings': (ctx) => {
		const community = ownGroup(ctx);
		const server = callbackServer(community, intParam(ctx.params, 'server_id', true));
		return { api_version: server.apiVersion, events: eventsObject(server.events) };
	},
};
