import type { CallbackSender } from './callback-sender.ts';
import type { EventDispatcher } from './events.ts';
import type { LongPollHub } from './long-poll.ts';
import type { ResolvedVkOptions } from './options.ts';
import type { VkParams } from './params.ts';
import type { Community, VkState } from './state.ts';
import type { Json } from './types.ts';

/** What a method handler sees: the caller's community, its parameters and the emulator's parts. */
export interface MethodContext {
	readonly method: string;
	readonly params: VkParams;
	/** The `v` the caller asked for. */
	readonly version: string;
	readonly community: Community;
	readonly state: VkState;
	readonly options: ResolvedVkOptions;
	readonly events: EventDispatcher;
	readonly longPoll: LongPollHub;
	readonly sender: CallbackSender;
	/** The emulator's base URL (Long Poll server addresses are built from it). */
	readonly baseUrl: string;
	/** Runs another method with the same caller (used by `execute`). */
	call(method: string, params: VkParams): Promise<Json>;
}

export type MethodHandler = (ctx: MethodContext) => Json | Promise<Json>;

/** A typed name → handler map, one per API section. */
export type MethodTable = Record<string, MethodHandler>;
