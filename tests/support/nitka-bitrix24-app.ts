import type { NitkaServerOptions } from '../../connector-server/src/server.ts';
import type { AppDefinition } from '../emulators/bitrix24/index.ts';

/** Where the connector serves the built bitrix-app (bitrix-app/vite.config.ts's base). */
export const BITRIX24_APP_PATH = '/bitrix24/app/';

export interface NitkaBitrix24App {
	/** The connector's `bitrix24` option. */
	connector: NonNullable<NitkaServerOptions['bitrix24']>;
	/** The app as registered with the portal (the emulator's `defineApp`). */
	app: AppDefinition;
}

/**
 * The Nitka app as a partner registers it and as the connector is configured for it: the app page
 * (the handler, which DEFAULT and the CRM tabs open) is served by the connector, and ONAPPINSTALL
 * goes to its install route. `connectorUrl` must be known before the connector starts.
 */
export function nitkaBitrix24App(input: {
	clientId: string;
	clientSecret: string;
	connectorUrl: string;
	connector?: Partial<NitkaBitrix24App['connector']>;
}): NitkaBitrix24App {
	const appUrl = `${input.connectorUrl}${BITRIX24_APP_PATH}`;
	return {
		connector: {
			clientId: input.clientId,
			clientSecret: input.clientSecret,
			appUrl,
			publicUrl: input.connectorUrl,
			...input.connector,
		},
		app: {
			clientId: input.clientId,
			clientSecret: input.clientSecret,
			scope: 'crm,imopenlines,imconnector,im,placement,user_brief',
			handlerUrl: appUrl,
			installEventUrl: `${input.connectorUrl}/hosts/bitrix24/install`,
			version: '1',
			hasUi: true,
			status: 'L',
		},
	};
}
