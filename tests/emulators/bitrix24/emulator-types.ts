import type { Express } from 'express';
import type { RequestLog } from '../kit/index.ts';
import type { EventDelivery } from './events.ts';
import type { PortalLimiter } from './limiter.ts';
import type { PortalState } from './portal-state.ts';

/** One running portal. */
export interface Portal {
	readonly state: PortalState;
	/** The portal's express app, on its own origin: the portal page mounts its routes here. */
	readonly app: Express;
	readonly requests: RequestLog;
	readonly limiter: PortalLimiter;
}

/** A valid frame auth for an installed app: what the parent page hands to b24jssdk's `getInitData`. */
export interface FrameAuth {
	accessToken: string;
	refreshToken: string;
	/** Unix seconds. */
	expires: number;
	/** Seconds (3600). */
	expiresIn: number;
	memberId: string;
	/** `127.0.0.1:PORT` — the portal origin's host, as `window.name` and `DOMAIN` carry it. */
	domain: string;
	/** 0 = http (the emulator serves http). */
	protocol: 0 | 1;
	appSid: string;
	userId: number;
	isAdmin: boolean;
	language: string;
	serverEndpoint: string;
	clientEndpoint: string;
	applicationToken: string;
	scope: string;
	status: string;
	/** `true` until the install is finished (`installFinish`). */
	firstRun: boolean;
}

/** What `installApp` did. */
export interface InstallResult {
	appId: string;
	domain: string;
	memberId: string;
	applicationToken: string;
	/** The install page form POST (apps with UI), as the app server received it. */
	page?: { url: string; body: string; status?: number; error?: string };
	/** The ONAPPINSTALL delivery (apps with an installation event handler). */
	installEvent?: EventDelivery;
	/** The tokens handed out at install. */
	auth: FrameAuth;
}

/** An operator's reply in an open line, delivered to the connector's app as ONIMCONNECTORMESSAGEADD. */
export interface OperatorReply {
	connector: string;
	line: number;
	/** The external chat id given in `imconnector.send.messages` (`chat.id`). */
	chatId: string;
	text: string;
	/** Bitrix24 user id of the operator (default: the portal admin). */
	operatorId?: number;
	/** Defaults to the portal's first portal. */
	domain?: string;
}
