import type { ChannelAdapter } from '../../core/ports/channel.ts';
import { vkIntake } from './intake.ts';
import { parseVkEvent } from './parse-event.ts';

export const vkAdapter: ChannelAdapter = {
	channel: 'vk',
	intake: vkIntake,
	parse: parseVkEvent,
};
