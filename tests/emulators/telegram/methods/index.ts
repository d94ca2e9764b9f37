import { deleteMyCommands, getMe, getMyCommands, setMyCommands } from './bot-methods.ts';
import type { MethodHandler } from './context.ts';
import { answerCallbackQuery, editMessageText, getFile } from './interaction-methods.ts';
import { sendDocument, sendMessage, sendPhoto } from './send-methods.ts';
import { deleteWebhook, getUpdates, getWebhookInfo, setWebhook } from './update-methods.ts';

/** The Bot API methods the emulator implements; to add one, write its handler and list it here. */
export const telegramMethods = {
	getMe,
	setMyCommands,
	getMyCommands,
	deleteMyCommands,
	setWebhook,
	deleteWebhook,
	getWebhookInfo,
	getUpdates,
	sendMessage,
	sendPhoto,
	sendDocument,
	editMessageText,
	answerCallbackQuery,
	getFile,
} satisfies Record<string, MethodHandler>;

export type TelegramMethodName = keyof typeof telegramMethods;

const byLowerCase = new Map(
	Object.entries(telegramMethods).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

/** Method names are case-insensitive in the Bot API (§1.1). */
export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
	return byLowerCase.get(name.toLowerCase());
}
