import { randomBytes } from 'node:crypto';
import type { FrameAuthGrant } from './types.ts';

/** One framed app instance on a page, keyed by its APP_SID as on a real portal. */
export interface AppLayout {
	sid: string;
	appId: string;
	userId: number;
	placement: string;
	/** Absent for DEFAULT, where the portal sends no PLACEMENT_OPTIONS. */
	placementOptions: Record<string, string> | null;
	handlerUrl: string;
	/** `proto://host[:port]` of the handler: the only origin the page accepts messages from. */
	appOrigin: string;
	/** Host (with port) the page is served from: the iframe name's DOMAIN. */
	portalHost: string;
	/** 1 when the page is served over https. */
	protocol: 0 | 1;
	lang: string;
	auth: FrameAuthGrant;
	isAdmin: boolean;
	firstRun: boolean;
	install: boolean;
}

/** Portal-side state: live layouts, and the app/user options apps store with setAppOption/setUserOption. */
export class LayoutStore {
	readonly #layouts = new Map<string, AppLayout>();
	readonly #appOptions = new Map<string, Record<string, unknown>>();
	readonly #userOptions = new Map<string, Record<string, unknown>>();

	/** Registers a layout under a fresh 32-hex APP_SID (the shape a portal uses). */
	add(layout: Omit<AppLayout, 'sid'>): AppLayout {
		const created = { ...layout, sid: randomBytes(16).toString('hex') };
		this.#layouts.set(created.sid, created);
		return created;
	}

	get(sid: string): AppLayout | undefined {
		return this.#layouts.get(sid);
	}

	all(): readonly AppLayout[] {
		return [...this.#layouts.values()];
	}

	appOptions(appId: string): Record<string, unknown> {
		return this.#appOptions.get(appId) ?? {};
	}

	userOptions(appId: string, userId: number): Record<string, unknown> {
		return this.#userOptions.get(`${appId}/${userId}`) ?? {};
	}

	setAppOption(appId: string, name: string, value: unknown): void {
		this.#appOptions.set(appId, { ...this.appOptions(appId), [name]: value });
	}

	setUserOption(appId: string, userId: number, name: string, value: unknown): void {
		this.#userOptions.set(`${appId}/${userId}`, { ...this.userOptions(appId, userId), [name]: value });
	}
}
