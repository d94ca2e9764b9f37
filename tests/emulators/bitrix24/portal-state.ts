import { randomBytes } from 'node:crypto';
import type { CrmStore } from './crm-store.ts';

/** An app as registered in the vendor's partner account: what the OAuth server knows about it. */
export interface AppDefinition {
	/** `client_id`; also the key every helper takes (`appId`). */
	clientId: string;
	clientSecret: string;
	/** Comma-separated scopes, e.g. `crm,imopenlines,imconnector,placement`. */
	scope: string;
	/** The app's page URL (apps with UI). The install form and placements POST here unless a placement says otherwise. */
	handlerUrl?: string;
	/** The installation event handler (`ONAPPINSTALL` target) for apps without UI or mass-market apps. */
	installEventUrl?: string;
	version?: string;
	/** Whether the app has UI: such an app is "installed" only after `installFinish` (research §0.15). */
	hasUi?: boolean;
	/** `status` sent in the install payload: L local, F free, D demo, T trial, P paid. */
	status?: 'L' | 'F' | 'D' | 'T' | 'P';
}

/** An app installed on one portal. */
export interface AppInstall {
	appId: string;
	applicationToken: string;
	/** The `APP_SID` of frames opened for it. */
	appSid: string;
	/** False until `installFinish` for UI apps; events and placements are silent meanwhile. */
	installed: boolean;
	installedBy: number;
	/** `app.option.set` / frame `setAppOption` storage. */
	options: Record<string, unknown>;
}

export interface PortalUser {
	ID: number;
	NAME: string;
	LAST_NAME: string;
	EMAIL: string;
	ADMIN: boolean;
	LANGUAGE_ID: string;
	TIME_ZONE: string;
}

export interface EventBinding {
	id: number;
	appId: string;
	/** Upper-cased event name, as the portal stores and sends it. */
	event: string;
	handler: string;
	authType: number;
	offline: boolean;
}

export interface PlacementBinding {
	id: number;
	appId: string;
	placement: string;
	handler: string;
	title: string;
	description: string;
	groupName: string;
	langAll: Record<string, unknown>;
	options: Record<string, unknown>;
	userId: number;
}

export interface ConnectorLine {
	active: boolean;
	data?: Record<string, unknown>;
}

export interface ImConnector {
	id: string;
	appId: string;
	name: string;
	icon: Record<string, unknown>;
	placementHandler: string;
	needSignature: boolean;
	chatGroup: boolean;
	flags: Record<string, boolean>;
	lines: Map<number, ConnectorLine>;
}

export interface OpenLine {
	ID: number;
	LINE_NAME: string;
	ACTIVE: 'Y' | 'N';
	QUEUE: number[];
}

/** One Open Lines chat: an external chat on a connector line, with its Bitrix24 chat and session. */
export interface OpenLineChat {
	chatId: number;
	sessionId: number;
	connector: string;
	line: number;
	externalChatId: string;
	externalUserId: string;
	bitrixUserId: number;
	contactId: number;
}

export interface ImMessage {
	messageId: number;
	chatId: number;
	direction: 'in' | 'out';
	text: string;
	externalId?: string;
	authorId: number;
	delivered: boolean;
	at: number;
}

export interface Webhook {
	userId: number;
	secret: string;
	scope: string;
}

/** Everything one portal holds; tests read it for assertions. */
export interface PortalState {
	readonly domain: string;
	readonly memberId: string;
	/** Base URL, e.g. `http://127.0.0.1:41234`. */
	readonly url: string;
	readonly clientEndpoint: string;
	readonly language: string;
	/** Portal time zone offset; CRM dates and `time.date_*` are rendered in it. */
	readonly offsetMinutes: number;
	users: Map<number, PortalUser>;
	installs: Map<string, AppInstall>;
	crm: CrmStore;
	events: EventBinding[];
	placements: PlacementBinding[];
	connectors: Map<string, ImConnector>;
	openLines: OpenLine[];
	chats: OpenLineChat[];
	messages: ImMessage[];
	webhooks: Webhook[];
	/** Id sequences shared by this portal's objects. */
	nextId(kind: string): number;
}

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

export function createIdSequence(): (kind: string) => number {
	const counters = new Map<string, number>();
	return (kind) => {
		const next = (counters.get(kind) ?? 0) + 1;
		counters.set(kind, next);
		return next;
	};
}
