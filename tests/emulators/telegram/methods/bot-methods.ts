import { badRequest } from '../errors.ts';
import type { Params } from '../params.ts';
import type { TgBotCommand } from '../types.ts';
import type { MethodContext, MethodHandler } from './context.ts';

// BotCommand: command 1-32 chars of a-z, 0-9, _; description 1-256 chars.
const commandPattern = /^[a-z0-9_]{1,32}$/;

/** Commands are stored per scope and language, as setMyCommands documents. */
function commandsKey(params: Params): string {
	const scope = params.json('scope', "can't parse BotCommandScope JSON object") ?? { type: 'default' };
	return `${JSON.stringify(scope)}|${params.string('language_code') ?? ''}`;
}

export const getMe: MethodHandler = ({ bot }) => ({
	...bot.user,
	can_join_groups: true,
	can_read_all_group_messages: false,
	supports_inline_queries: false,
	can_connect_to_business: false,
	has_main_web_app: false,
});

export const setMyCommands: MethodHandler = ({ bot, params }: MethodContext) => {
	const raw = params.json('commands', "can't parse commands JSON object");
	if (!Array.isArray(raw)) throw badRequest('parameter "commands" is required');
	const commands: TgBotCommand[] = raw.map((item: unknown) => {
		const entry = (item ?? {}) as Partial<TgBotCommand>;
		if (typeof entry.command !== 'string' || !commandPattern.test(entry.command)) {
			throw badRequest('BOT_COMMAND_INVALID');
		}
		if (
			typeof entry.description !== 'string' ||
			entry.description.length < 1 ||
			entry.description.length > 256
		) {
			throw badRequest('command description is empty');
		}
		return { command: entry.command, description: entry.description };
	});
	if (commands.length > 100) throw badRequest('too many commands specified');
	bot.commands.set(commandsKey(params), commands);
	return true;
};

export const getMyCommands: MethodHandler = ({ bot, params }) => bot.commands.get(commandsKey(params)) ?? [];

export const deleteMyCommands: MethodHandler = ({ bot, params }) => {
	bot.commands.delete(commandsKey(params));
	return true;
};
