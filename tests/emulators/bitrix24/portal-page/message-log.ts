import { EntryLog } from '../../kit/entry-log.ts';

/**
 * One postMessage the portal page received from a framed app, as its client script recorded it.
 * The same records are on `window.__portal.messages` in the page.
 */
export interface PortalMessage {
	/** Placement of the layout that received it (DEFAULT, CRM_CONTACT_DETAIL_TAB, …). */
	placement: string;
	/** The layout's APP_SID (null when the message matched no layout). */
	layoutSid: string | null;
	origin: string;
	/** The message exactly as posted: a string `cmd:params:callbackId:appSid`, or an object. */
	raw: unknown;
	command: string | null;
	params: unknown;
	callbackId: string | null;
	appSid: string | null;
	/**
	 * `answered`: a reply was posted back; `acted`: handled with no reply (as the portal does for
	 * fire-and-forget commands); `ignored`: dropped, with `reason` (foreign origin, other app,
	 * unknown or denied command).
	 */
	outcome: 'answered' | 'acted' | 'ignored';
	reason?: string;
	reply?: unknown;
	at: number;
}

/** Node-side copy of every message the portal pages received, for tests to assert on. */
export class PortalMessageLog extends EntryLog<PortalMessage> {
	constructor() {
		super('portal message', 10_000);
	}

	/** Messages carrying `command`, in arrival order. */
	byCommand(command: string): PortalMessage[] {
		return this.filter((entry) => entry.command === command);
	}
}
