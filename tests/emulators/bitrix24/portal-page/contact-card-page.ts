import { appLayoutHtml } from './app-layout-html.ts';
import { frameProtocolHtml } from './frame-protocol.ts';
import { escapeHtml, portalShell } from './html.ts';
import type { ClientLayoutConfig } from './layout-config.ts';
import { portalEndpoints } from './layout-config.ts';
import type { AppLayout } from './layout-store.ts';

/** The fields the emulated card shows; a test may fill them from the REST emulator. */
export interface ContactCardData {
	id: string;
	name: string;
	phone?: string;
	email?: string;
}

/**
 * A CRM contact card: built-in tabs, then one tab per app bound to CRM_CONTACT_DETAIL_TAB.
 * Each app tab holds a layout whose iframe loads when the tab is first opened.
 */
export function contactCardPage(input: {
	portalHost: string;
	contact: ContactCardData;
	layouts: { layout: AppLayout; title: string; config: ClientLayoutConfig }[];
}): string {
	const { contact } = input;
	const builtIn: CardTab[] = [
		{ id: 'tab_main', title: 'General', body: contactFields(contact) },
		{ id: 'tab_deal', title: 'Deals', body: '<p>No deals yet.</p>' },
		{ id: 'tab_event', title: 'History', body: '<p>No history yet.</p>' },
	];
	const appTabs: CardTab[] = input.layouts.map(({ layout, title }, index) => ({
		id: `tab_app_${index + 1}`,
		title,
		body: appLayoutHtml(layout),
		sid: layout.sid,
		appId: layout.appId,
	}));
	const tabs = [...builtIn, ...appTabs];
	const tabButtons = tabs
		.map((tab, index) => {
			const app =
				tab.sid !== undefined && tab.appId !== undefined
					? ` data-app-sid="${escapeHtml(tab.sid)}" data-app-id="${escapeHtml(tab.appId)}"`
					: '';
			return `<button type="button" class="b24-tab" role="tab" id="${tab.id}" aria-controls="${tab.id}_panel" aria-selected="${index === 0}"${app}>${escapeHtml(tab.title)}</button>`;
		})
		.join('\n');
	const panels = tabs
		.map(
			(tab, index) =>
				`<section class="b24-panel" role="tabpanel" id="${tab.id}_panel" aria-labelledby="${tab.id}"${index === 0 ? '' : ' hidden'}>\n${tab.body}\n</section>`,
		)
		.join('\n');
	const body = `<div class="b24-tabs" role="tablist">
${tabButtons}
</div>
${panels}
${frameProtocolHtml(input.layouts.map(({ config }) => config))}
<script src="${escapeHtml(portalEndpoints.tabsScript)}"></script>`;
	return portalShell({ title: `Contact: ${contact.name}`, portalHost: input.portalHost, body });
}

interface CardTab {
	id: string;
	title: string;
	body: string;
	/** Set on app tabs: the layout the tab opens. */
	sid?: string;
	appId?: string;
}

function contactFields(contact: ContactCardData): string {
	const rows: [string, string | undefined][] = [
		['ID', contact.id],
		['Name', contact.name],
		['Phone', contact.phone],
		['E-mail', contact.email],
	];
	const items = rows
		.filter((row): row is [string, string] => row[1] !== undefined)
		.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
		.join('');
	return `<dl class="b24-fields">${items}</dl>`;
}
