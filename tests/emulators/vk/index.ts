import { createEmulatorBase, type FaultInjector, listen, type RequestLog } from '../kit/index.ts';
import { mountApiRoutes } from './api-routes.ts';
import { type CallbackDelivery, CallbackSender } from './callback-sender.ts';
import { VkCommunityHandle } from './community.ts';
import { VkErrorInjector } from './error-injector.ts';
import { EventDispatcher } from './events.ts';
import { type LongPollFailure, LongPollHub } from './long-poll.ts';
import { downloadableAttachments, mountMediaRoutes } from './media.ts';
import { resolveOptions, type VkEmulatorOptions } from './options.ts';
import { type CreateCommunityInput, VkState } from './state.ts';
import type { VkEventEnvelope, VkUserProfile } from './types.ts';
import { VkUser } from './user.ts';

export type { CallbackDelivery } from './callback-sender.ts';
export type { RegisterCallbackInput, VkCommunityHandle } from './community.ts';
export type { VkErrorInjector } from './error-injector.ts';
export { VK_ERROR_MESSAGES, type VkErrorCode } from './errors.ts';
export type { LongPollFailure } from './long-poll.ts';
export type { VkEmulatorOptions } from './options.ts';
export type { CreateCommunityInput, VkState } from './state.ts';
export type { Json, JsonObject, VkEventEnvelope, VkMessage, VkUserProfile } from './types.ts';
export type { VkUser, WriteInput } from './user.ts';

/** A running VK emulator: API, Bots Long Poll and Callback API sender on 127.0.0.1. */
export interface VkEmulator {
	/** Base URL, e.g. `http://127.0.0.1:41234`. */
	readonly url: string;
	/** `${url}/method` — what vk-io takes as `apiBaseUrl`. */
	readonly apiBaseUrl: string;
	readonly state: VkState;
	/** Every HTTP request the emulator received (API calls and long polls). */
	readonly requests: RequestLog;
	/**
	 * Kit faults. Targets: an API method name (`messages.send`: latency, status → HTTP 5xx,
	 * rate-limit → error 6, expired-token → error 5), `longpoll` (latency, status), and an event type
	 * (`message_new`: drop, latency) for Callback deliveries.
	 */
	readonly faults: FaultInjector;
	/** Any VK error code for the next calls of a method (9, 10, 901, …). */
	readonly vkErrors: VkErrorInjector;
	readonly callbacks: {
		/** Every delivery attempt, in order. */
		readonly deliveries: readonly CallbackDelivery[];
		/** Resolves when every pending delivery (retries included) has settled. */
		idle(): Promise<void>;
	};
	readonly longPoll: {
		/** The next poll of this community answers `{failed: code}`. */
		injectFailure(groupId: number, code: LongPollFailure): void;
		/** Rotates the key: polls with the old key answer `{failed: 2}`. */
		expireKey(groupId: number): void;
	};
	/** Every event emitted (rendered as its Long Poll would carry it). */
	readonly events: readonly VkEventEnvelope[];
	createCommunity(input?: CreateCommunityInput): VkCommunityHandle;
	community(groupId: number): VkCommunityHandle;
	createUser(input?: Partial<VkUserProfile>): VkUser;
	/** Attachment objects with URLs this emulator serves, as VK's CDN serves message media. */
	readonly downloadable: ReturnType<typeof downloadableAttachments>;
	close(): Promise<void>;
}

/** Starts the VK emulator. Limits default to VK's real values; see VkEmulatorOptions. */
export async function startVkEmulator(options: VkEmulatorOptions = {}): Promise<VkEmulator> {
	const resolved = resolveOptions(options);
	const { app, requests, faults } = createEmulatorBase();
	const state = new VkState();
	const vkErrors = new VkErrorInjector();
	const sender = new CallbackSender(resolved.callback, faults);
	const longPoll = new LongPollHub(resolved.longPoll, faults);
	const events = new EventDispatcher(longPoll, sender);
	let baseUrl = '';
	mountApiRoutes(app, {
		state,
		options: resolved,
		faults,
		vkErrors,
		events,
		longPoll,
		sender,
		baseUrl: () => baseUrl,
	});
	app.get('/wh:groupId', longPoll.handle);
	mountMediaRoutes(app);
	const running = await listen(app, resolved.port);
	baseUrl = running.url;
	const handle = (groupId: number) => new VkCommunityHandle(state.community(groupId), { state, sender });

	return {
		url: running.url,
		apiBaseUrl: `${running.url}/method`,
		state,
		requests,
		faults,
		vkErrors,
		callbacks: { deliveries: sender.deliveries, idle: () => sender.idle() },
		longPoll: {
			injectFailure: (groupId, code) => longPoll.injectFailure(groupId, code),
			expireKey: (groupId) => longPoll.expireKey(groupId),
		},
		events: events.emitted,
		createCommunity: (input) => handle(state.createCommunity(input).id),
		community: handle,
		createUser: (input) => new VkUser(state.addUser(input), { state, events, clock: resolved.clock }),
		downloadable: downloadableAttachments(() => baseUrl),
		close: async () => {
			longPoll.close();
			sender.close();
			await running.close();
		},
	};
}
