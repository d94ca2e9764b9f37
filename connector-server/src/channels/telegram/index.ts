import type { ChannelAdapter } from '../../core/ports/channel.ts';
import { telegramIntake } from './intake.ts';
import { parseTelegramUpdate } from './parse-update.ts';

export const telegramAdapter: ChannelAdapter = {
	channel: 'telegram',
	intake: telegramIntake,
	parse: parseTelegramUpdate,
};
