import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../../connector-server/src/config/config.ts';
import { type NitkaServer, startNitkaServer } from '../../../../connector-server/src/server.ts';
import {
	type AppDefinition,
	type Bitrix24Emulator,
	startBitrix24Emulator,
} from '../../../emulators/bitrix24/index.ts';
import {
	type Bitrix24PortalPage,
	mountPortalPageOnEmulator,
} from '../../../emulators/bitrix24/portal-page/index.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../../../emulators/telegram/index.ts';
import { freePort } from '../../../support/free-port.ts';
import { nitkaBitrix24App } from '../../../support/nitka-bitrix24-app.ts';
import { silentLogger } from '../../../support/silent-logger.ts';

export const APP_ID = 'local.6a1b2c3d4e5f60.87654321';
const APP_SECRET = 'Kq3vN8mR2tW6yB1cX5zL9pD4hF7gJ0sA';

export interface AppStack {
	server: NitkaServer;
	b24: Bitrix24Emulator;
	tg: TelegramEmulator;
	/** The app's URL on the connector (another origin than the portal: another port). */
	appUrl: string;
	portal: Bitrix24PortalPage;
	app: AppDefinition;
	close(): Promise<void>;
}

/**
 * Everything the app meets on a real install: the Bitrix24 portal (REST emulator with the portal
 * page on its origin), the connector configured as the Bitrix24 app (its install handler takes
 * ONAPPINSTALL, binds the CRM tabs to the app's URL, serves the built app at /bitrix24/app/ and
 * issues sessions for frame auth), and Telegram behind the connector.
 */
export async function startAppStack(dist: string): Promise<AppStack> {
	const [b24, tg] = await Promise.all([
		// A Russian portal (the default) and an English one, whose admin reads English.
		startBitrix24Emulator({
			portals: [
				{},
				{
					language: 'en',
					users: [
						{
							ID: 1,
							NAME: 'Emma',
							LAST_NAME: 'Stone',
							EMAIL: 'emma@example.com',
							ADMIN: true,
							LANGUAGE_ID: 'en',
							TIME_ZONE: 'Europe/London',
						},
					],
				},
			],
		}),
		startTelegramEmulator({ webhook: { initialDelayMs: 20, maxDelayMs: 100 } }),
	]);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'nitka-bitrix-app-'));
	const port = await freePort();
	const publicUrl = `http://127.0.0.1:${port}`;
	// The connector serves the built app itself, framable, at /bitrix24/app/; it installs from ONAPPINSTALL.
	const nitka = nitkaBitrix24App({
		clientId: APP_ID,
		clientSecret: APP_SECRET,
		connectorUrl: publicUrl,
		connector: { appDist: dist, reconcileMs: 0 },
	});
	const server = await startNitkaServer({
		config: loadConfig({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }),
		logger: silentLogger,
		channelApi: { telegram: tg.url },
		outboxBackoff: { baseMs: 50, capMs: 500 },
		bitrix24: nitka.connector,
	});
	const app = b24.defineApp(nitka.app);
	const appUrl = nitka.connector.appUrl;
	const portal = mountPortalPageOnEmulator(b24, { apps: [app] });
	const english = b24.portals[1]!.state;
	mountPortalPageOnEmulator(b24, { apps: [app], domain: english.domain });
	return {
		server,
		b24,
		tg,
		appUrl,
		portal,
		app,
		async close() {
			await server.close();
			await Promise.all([tg.close(), b24.close()]);
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
