import type { ChannelRuntime } from '../../core/conversations/channel-runtime.ts';
import { NitkaError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';

/** The channel runtime of a route's context; a server composed without channels answers 503. */
export function runtimeOf(ctx: AppContext): ChannelRuntime {
	if (!ctx.channels)
		throw new NitkaError('channels_unavailable', 503, 'messaging channels are not configured');
	return ctx.channels;
}
