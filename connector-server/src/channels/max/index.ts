import type { ChannelAdapter } from '../../core/ports/channel.ts';
import { maxIntake } from './intake.ts';
import { parseMaxUpdate } from './parse-update.ts';

export const maxAdapter: ChannelAdapter = {
	channel: 'max',
	intake: maxIntake,
	parse: parseMaxUpdate,
};
