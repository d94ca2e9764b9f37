import { randomBytes } from 'node:crypto';
import type { CallbackSender } from './callback-sender.ts';
import type { LongPollHub } from './long-poll.ts';
import type { Community } from './state.ts';
import type { Json, JsonObject, VkEventEnvelope } from './types.ts';
import { compareVersions } from './version.ts';

/**
 * Since 5.103 message_new carries `{message, client_info}`; before, the message itself was the
 * object (vk-io reads both). Other message events did not change shape.
 */
function renderObject(type: string, object: JsonObject, version: string): Json {
	if (type === 'message_new' && compareVersions(version, '5.103') < 0) return object.message ?? object;
	return object;
}

/** Fans one community event out to its Long Poll stream and its confirmed Callback servers. */
export class EventDispatcher {
	/** Every event emitted, as the 5.199 Long Poll would carry it. */
	readonly emitted: VkEventEnvelope[] = [];

	constructor(
		private readonly longPoll: LongPollHub,
		private readonly sender: CallbackSender,
	) {}

	emit(community: Community, type: string, object: JsonObject): string {
		const event_id = randomBytes(20).toString('hex');
		const envelope = (v: string): VkEventEnvelope => ({
			group_id: community.id,
			type,
			event_id,
			v,
			object: renderObject(type, object, v),
		});
		this.emitted.push(envelope(community.longPoll.apiVersion));
		if (community.longPoll.enabled && community.longPoll.events.has(type)) {
			this.longPoll.push(community.id, envelope(community.longPoll.apiVersion));
		}
		for (const server of community.callbackServers.values()) {
			if (server.status !== 'ok' || !server.events.has(type)) continue;
			const withSecret = envelope(server.apiVersion);
			if (server.secret_key) withSecret.secret = server.secret_key;
			this.sender.deliver(server, withSecret);
		}
		return event_id;
	}
}
