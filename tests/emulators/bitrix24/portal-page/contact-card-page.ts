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

/** A deal or lead card's fields (title, and what the card shows under General). */
export interface EntityCardData {
	id: string;
	title: string;
	fields?: [label: string, value: string][];
}

/** The CRM entities whose detail cards the page emulates, with their placement and heading. */
export const crmCards = {
	contact: { placement: 'CRM_CONTACT_DETAIL_TAB', heading: 'Contact' },
	deal: { placement: 'CRM_DEAL_DETAIL_TAB', heading: 'Deal' },
	lead: { placement: 'CRM_LEAD_DETAIL_TAB', heading: 'Lead' },
} as const;
export type CrmCardEntity = keyof typeof crmCards;

type CardLayouts = { layout: AppLayout; title: string; config: ClientLayoutConfig }[];

/**
 * A CRM contact card: built-in tabs, then one tab per app bound to CRM_CONTACT_DETAIL_TAB.
 * Each app tab holds a layout whose iframe loads when the tab is first opened.
 */
export function contactCardPage(input: {
	portalHost: string;
	contact: ContactCardData;
	layouts: CardLayouts;
}): string {
	const { contact } = input;
	return cardPage({
		portalHost: input.portalHost,
		title: `Contact: ${contact.name}`,
		general: contactFields(contact),
		related: { id: 'tab_deal', title: 'Deals', body: '<p>No deals yet.</p>' },
		layouts: input.layouts,
	});
}

/** A deal or lead card, the same way: General, Products, History, then the apps bound to its tab placement. */
export function entityCardPage(input: {
	portalHost: string;
	entity: Exclude<CrmCardEntity, 'contact'>;
	card: EntityCardData;
	layouts: CardLayouts;
}): string {
	const rows: [string, string][] = [
		['ID', input.card.id],
		['Title', input.card.title],
		...(input.card.fields ?? []),
	];
	return cardPage({
		portalHost: input.portalHost,
		title: `${crmCards[input.entity].heading}: ${input.card.title}`,
		general: fieldList(rows),
		related: { id: 'tab_products', title: 'Products', body: '<p>No products.</p>' },
		layouts: input.layouts,
	});
}

function cardPage(input: {
	portalHost: string;
	title: string;
	general: string;
	related: CardTab;
	layouts: CardLayouts;
}): string {
	const builtIn: CardTab[] = [
		{ id: 'tab_main', title: 'General', body: input.general },
		input.related,
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
	return portalShell({ title: input.title, portalHost: input.portalHost, body });
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
	return fieldList(rows.filter((row): row is [string, string] => row[1] !== undefined));
}

function fieldList(rows: [string, string][]): string {
	const items = rows
		.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
		.join('');
	return `<dl class="b24-fields">${items}</dl>`;
}
