import { z } from 'zod';
import { asRecord } from '../crm-query.ts';
import type { MethodContext, MethodGroup, MethodSpec } from '../method-types.ts';
import type { ImConnector, OpenLineChat } from '../portal-state.ts';
import { RestError, restErrors } from '../rest-envelope.ts';

const flagNames = [
	'DEL_EXTERNAL_MESSAGES',
	'EDIT_INTERNAL_MESSAGES',
	'DEL_INTERNAL_MESSAGES',
	'NEWSLETTER',
	'NEED_SYSTEM_MESSAGES',
	'NEED_SIGNATURE',
];
const truthy = (value: unknown, fallback: boolean) =>
	value === undefined
		? fallback
		: value === true || value === 1 || value === '1' || value === 'Y' || value === 'true';

/** imconnector.* need app context and the `imconnector` scope (research §5). */
const connectorMethod = (handler: MethodSpec['handler']): MethodSpec => ({
	appOnly: true,
	scope: 'imconnector',
	handler,
});

function connectorOf(context: MethodContext): ImConnector {
	const id = String(context.params.CONNECTOR ?? '').toLowerCase();
	if (!id) throw restErrors.argument('CONNECTOR');
	const connector = context.portal.connectors.get(id);
	if (!connector) throw new RestError('IMCONNECTOR_NO_CORRECT_PROVIDER', 'Incorrect connector', 400);
	return connector;
}

function lineOf(context: MethodContext): number {
	const line = Number(context.params.LINE);
	if (!context.params.LINE || !Number.isInteger(line)) throw restErrors.argument('LINE');
	return line;
}

function messagesOf(context: MethodContext): Record<string, unknown>[] {
	const raw = context.params.MESSAGES;
	const list = Array.isArray(raw) ? raw : asRecord(raw) ? Object.values(raw as object) : undefined;
	if (!list || list.length === 0) throw restErrors.argument('MESSAGES');
	return list.map((item) => asRecord(item) ?? {});
}

/** Name fields: letters, spaces, hyphens and apostrophes, at most 25 characters (research §5.2). */
const nameSchema = z
	.string()
	.max(25)
	.regex(/^[\p{L} '-]*$/u);

const registerResult = (error?: string, description?: string) =>
	error
		? { result: { result: false, error, error_description: description ?? error } }
		: { result: { result: true } };

/** Finds or opens the open line chat for an external chat, linking a CRM contact like the tracker does. */
function openChat(
	context: MethodContext,
	connector: ImConnector,
	line: number,
	user: Record<string, unknown>,
	chat: Record<string, unknown>,
	disableCrm: boolean,
): OpenLineChat {
	const externalChatId = String(chat.id ?? '');
	const externalUserId = String(user.id ?? '');
	const { portal } = context;
	const existing = portal.chats.find(
		(c) =>
			c.connector === connector.id &&
			c.line === line &&
			c.externalChatId === externalChatId &&
			(connector.chatGroup || c.externalUserId === externalUserId),
	);
	if (existing) return existing;
	const imol = `imol|${connector.id}|${line}|${externalChatId}|${externalUserId}`;
	let contactId = 0;
	// CHAT_GROUP disables the CRM tracker (research §5.1).
	if (!connector.chatGroup && !disableCrm) {
		const found = portal.crm.all(3).find((r) => r.multi.some((m) => m.TYPE_ID === 'IM' && m.VALUE === imol));
		const record =
			found ??
			portal.crm.create(
				3,
				{
					NAME: String(user.name ?? ''),
					LAST_NAME: String(user.last_name ?? '') || null,
					SOURCE_ID: 'OPENLINE',
					TYPE_ID: 'CLIENT',
					OPENED: 'Y',
					ASSIGNED_BY_ID: 1,
				},
				1,
				context.clock.now(),
			);
		if (!found) {
			portal.crm.addMulti(record, 'IM', imol, 'IMOL');
			if (typeof user.phone === 'string' && user.phone)
				portal.crm.addMulti(record, 'PHONE', user.phone, 'WORK');
			if (typeof user.email === 'string' && user.email)
				portal.crm.addMulti(record, 'EMAIL', user.email, 'WORK');
			context.emit('ONCRMCONTACTADD', { FIELDS: { ID: String(record.ID) } });
		}
		contactId = record.ID;
	}
	const opened: OpenLineChat = {
		chatId: 1700 + portal.nextId('im-chat'),
		sessionId: 300 + portal.nextId('ol-session'),
		connector: connector.id,
		line,
		externalChatId,
		externalUserId,
		bitrixUserId: 500 + portal.nextId('im-user'),
		contactId,
	};
	portal.chats.push(opened);
	return opened;
}

/** The Open Lines connector API (research §5.1–5.3). */
export const imconnectorMethods: MethodGroup = {
	'imconnector.register': connectorMethod(({ params, portal, caller }) => {
		const id = String(params.ID ?? '').toLowerCase();
		if (!id || id.includes('.'))
			return registerResult('CONNECTOR_ID_REQUIRED', 'Connector ID is required and must not contain a dot');
		if (!params.NAME) return registerResult('NAME_REQUIRED', 'Connector name is required');
		const icon = asRecord(params.ICON);
		if (!icon?.DATA_IMAGE) return registerResult('ICON_REQUIRED', 'Connector icon is required');
		if (!params.PLACEMENT_HANDLER)
			return registerResult('NO_PLACEMENT_HANDLER', 'Placement handler is required');
		const flags = Object.fromEntries(flagNames.map((name) => [name, truthy(params[name], true)]));
		const existing = portal.connectors.get(id);
		portal.connectors.set(id, {
			id,
			appId: caller.appId ?? '',
			name: String(params.NAME),
			icon,
			placementHandler: String(params.PLACEMENT_HANDLER),
			needSignature: flags.NEED_SIGNATURE ?? true,
			chatGroup: truthy(params.CHAT_GROUP, false),
			flags,
			lines: existing?.lines ?? new Map(),
		});
		return registerResult();
	}),
	'imconnector.unregister': connectorMethod(({ params, portal }) => {
		const deleted = portal.connectors.delete(String(params.ID ?? '').toLowerCase());
		return deleted ? registerResult() : registerResult('CONNECTOR_NOT_FOUND', 'Connector not found');
	}),
	'imconnector.list': connectorMethod(({ portal }) => ({
		result: Object.fromEntries([...portal.connectors.values()].map((c) => [c.id, c.name])),
	})),
	'imconnector.activate': connectorMethod((context) => {
		const connector = connectorOf(context);
		const line = lineOf(context);
		if (context.params.ACTIVE === undefined || context.params.ACTIVE === '')
			throw restErrors.argument('ACTIVE');
		const state = connector.lines.get(line) ?? { active: false };
		state.active = truthy(context.params.ACTIVE, false);
		connector.lines.set(line, state);
		return { result: true };
	}),
	'imconnector.connector.data.set': connectorMethod((context) => {
		const connector = connectorOf(context);
		const line = lineOf(context);
		const data = asRecord(context.params.DATA);
		if (!data) throw restErrors.argument('DATA');
		const state = connector.lines.get(line) ?? { active: false };
		state.data = data;
		connector.lines.set(line, state);
		return { result: true };
	}),
	'imconnector.status': connectorMethod((context) => {
		const connector = connectorOf(context);
		const line = lineOf(context);
		const state = connector.lines.get(line);
		return {
			result: {
				LINE: String(line),
				CONNECTOR: connector.id,
				ERROR: false,
				CONFIGURED: state?.active === true,
				STATUS: state?.active === true && state.data !== undefined,
			},
		};
	}),
	'imconnector.send.messages': connectorMethod((context) => {
		const connector = connectorOf(context);
		const line = lineOf(context);
		const messages = messagesOf(context);
		if (!connector.lines.get(line)?.active) throw new RestError('NOT_ACTIVE_LINE', 'Line is not active', 400);
		const results = messages.map((entry) => {
			const user = asRecord(entry.user) ?? {};
			const message = asRecord(entry.message) ?? {};
			const chat = asRecord(entry.chat) ?? {};
			const errors: string[] = [];
			if (!user.id) errors.push('User ID is not specified');
			if (!chat.id) errors.push('Chat ID is not specified');
			for (const field of ['name', 'last_name']) {
				if (user[field] !== undefined && !nameSchema.safeParse(String(user[field])).success)
					errors.push(`Invalid user ${field}`);
			}
			if (!message.text && !message.files) errors.push('Message text or files are required');
			if (errors.length > 0) return { SUCCESS: false, ERRORS: errors };
			const opened = openChat(context, connector, line, user, chat, message.disable_crm === 'Y');
			const messageId = context.portal.nextId('im-message') + 86_000;
			context.portal.messages.push({
				messageId,
				chatId: opened.chatId,
				direction: 'in',
				text: String(message.text ?? ''),
				externalId: message.id === undefined ? undefined : String(message.id),
				authorId: opened.bitrixUserId,
				delivered: true,
				at: context.clock.now(),
			});
			return {
				user: String(opened.bitrixUserId),
				message: { id: [String(messageId)] },
				chat: { id: String(opened.chatId) },
				extra: { crm: opened.contactId ? 'Y' : 'N' },
				SUCCESS: true,
				session: { ID: String(opened.sessionId), CHAT_ID: String(opened.chatId) },
			};
		});
		return { result: { SUCCESS: results.every((r) => r.SUCCESS), DATA: { RESULT: results } } };
	}),
	'imconnector.send.status.delivery': connectorMethod((context) => {
		connectorOf(context);
		lineOf(context);
		for (const entry of messagesOf(context)) {
			const im = asRecord(entry.im) ?? {};
			const message = asRecord(entry.message) ?? {};
			// `message.id` must be an array even for one id (research §8.8).
			if (!Array.isArray(message.id))
				throw new RestError('ERROR_ARGUMENT', "Argument 'message.id' must be an array", 400);
			const stored = context.portal.messages.find(
				(m) => m.messageId === Number(im.message_id) && m.chatId === Number(im.chat_id),
			);
			if (stored) {
				stored.delivered = true;
				stored.externalId = String(message.id[0]);
			}
		}
		return { result: { SUCCESS: true, DATA: [] } };
	}),
	'imconnector.update.messages': connectorMethod((context) => {
		connectorOf(context);
		lineOf(context);
		const results = messagesOf(context).map((entry) => {
			const message = asRecord(entry.message) ?? {};
			const stored = context.portal.messages.find(
				(m) => m.direction === 'in' && m.externalId === String(message.id ?? ''),
			);
			if (!stored) return { SUCCESS: false, ERRORS: ['Message not found'] };
			stored.text = String(message.text ?? stored.text);
			return { SUCCESS: true };
		});
		return { result: { SUCCESS: results.every((r) => r.SUCCESS), DATA: { RESULT: results } } };
	}),
};
