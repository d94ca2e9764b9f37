import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AppDefinition, Bitrix24Emulator } from '../../emulators/bitrix24/index.ts';
import {
	appPagePath,
	type ContactCardData,
	contactCardPath,
	mountPortalPageOnEmulator,
} from '../../emulators/bitrix24/portal-page/index.ts';
import { BITRIX24_APP_PATH, type NitkaBitrix24App } from '../../support/nitka-bitrix24-app.ts';
import type { ConnectorApi } from '../connector/connector-api.ts';

/** The emulated portal as the demo page links to it. */
export interface DemoPortal {
	readonly url: string;
	/** The Nitka app, installed into the portal; null when the connector does not serve it (not built). */
	readonly app: AppDefinition | null;
	/** Whether bitrix-app has been built (bitrix-app/dist), whoever serves it. */
	readonly appBuilt: boolean;
	/** Why the install failed, when it did (the portal then runs without the app). */
	readonly installError: string | null;
	appPageUrl(): string | null;
	contactCardUrl(contactId: number | string): string;
	/** CRM contacts on the portal (Nitka creates them when customers write in the open line). */
	contacts(): ContactCardData[];
}

/** The demo's local app (a portal's own "local application": its client id and secret are the demo's). */
export const demoBitrixAppCredentials = {
	clientId: 'local.nitka-demo.00000001',
	clientSecret: 'nitka-demo-client-secret-0123456789',
};

// The portal's first open line, which the demo hands to the Nitka connector.
const OPEN_LINE_ID = '1';
const SettingsSchema = z.looseObject({ openLineId: z.string().nullable() });

const appDist = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
	'bitrix-app',
	'dist',
);

async function servesApp(connectorUrl: string): Promise<boolean> {
	try {
		const response = await fetch(`${connectorUrl}${BITRIX24_APP_PATH}`, {
			signal: AbortSignal.timeout(2_000),
		});
		await response.body?.cancel();
		return response.ok && (response.headers.get('content-type') ?? '').includes('html');
	} catch {
		return false;
	}
}

function contactOf(emulator: Bitrix24Emulator, id: string): ContactCardData {
	const record = emulator.portal().state.crm.get(3, Number(id));
	if (!record) return { id, name: '—' };
	const name = [record.fields.NAME, record.fields.LAST_NAME]
		.filter((v) => typeof v === 'string' && v)
		.join(' ');
	const phone = record.multi.find((m) => m.TYPE_ID === 'PHONE')?.VALUE;
	const email = record.multi.find((m) => m.TYPE_ID === 'EMAIL')?.VALUE;
	return { id, name: name || `#${id}`, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
}

async function install(emulator: Bitrix24Emulator, nitka: NitkaBitrix24App, api: ConnectorApi) {
	const app = emulator.defineApp(nitka.app);
	const result = await emulator.installApp(app.clientId);
	const statuses = [result.page?.status, result.installEvent?.status];
	const failed = result.page?.error ?? result.installEvent?.error;
	if (failed || statuses.some((s) => (s ?? 200) >= 400))
		throw new Error(`the install answered ${failed ?? statuses.join(', ')}`);
	// Set again each run: the connector activates a line when the choice changes, and the portal is new.
	const settings = await api.call('GET', '/bitrix24/settings', SettingsSchema);
	await api.call('PUT', '/bitrix24/settings', SettingsSchema, { ...settings, openLineId: null });
	await api.call('PUT', '/bitrix24/settings', SettingsSchema, { ...settings, openLineId: OPEN_LINE_ID });
	return app;
}

/**
 * Installs the Nitka app into the emulated portal exactly as a portal does (the install form POST
 * to the app's page, ONAPPINSTALL to the connector's install route, which binds the CRM tabs and the
 * open-lines connector), hands the portal's open line to Nitka through the app's settings route (so
 * a customer who writes gets a contact in the portal), and serves the portal's pages (contact card,
 * app page) on its own origin. The app finishes its install when a person opens it, as on a real portal.
 */
export async function startDemoPortal(
	emulator: Bitrix24Emulator,
	nitka: NitkaBitrix24App,
	api: ConnectorApi,
): Promise<DemoPortal> {
	let app: AppDefinition | null = null;
	let installError: string | null = null;
	if (await servesApp(api.url)) {
		// A failed install leaves the portal without the app (and says why) rather than the demo without a portal.
		try {
			app = await install(emulator, nitka, api);
		} catch (error) {
			installError = (error as Error).message;
		}
	}
	mountPortalPageOnEmulator(emulator, {
		apps: app ? [app] : [],
		lang: 'ru',
		contact: (id) => contactOf(emulator, id),
	});
	const installed = app;
	return {
		url: emulator.url,
		app: installed,
		installError,
		appBuilt: existsSync(path.join(appDist, 'index.html')),
		appPageUrl: () => (installed ? `${emulator.url}${appPagePath(installed.clientId)}` : null),
		contactCardUrl: (id) => `${emulator.url}${contactCardPath(Number(id))}`,
		contacts: () =>
			emulator
				.portal()
				.state.crm.all(3)
				.map((r) => contactOf(emulator, String(r.ID))),
	};
}
