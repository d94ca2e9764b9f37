import { startAppReceiver } from './app-receiver.ts';
import { startBitrix24Emulator } from './emulator.ts';
import type { AppDefinition } from './portal-state.ts';

/** The connector app as the tests register it (a real-looking client_id and every scope we use). */
export function nitkaApp(receiverUrl: string, overrides: Partial<AppDefinition> = {}): AppDefinition {
	return {
		clientId: 'local.65f1a2b3c4d5e6.12345678',
		clientSecret: 'Sx9vP2mQ7rT4kL1nB8cZ3wY6hJ5dF0gA',
		scope: 'crm,imopenlines,imconnector,im,placement,user_brief',
		handlerUrl: `${receiverUrl}/app/`,
		installEventUrl: `${receiverUrl}/install/`,
		version: '1',
		hasUi: false,
		status: 'L',
		...overrides,
	};
}

/** POSTs JSON to a REST URL and returns status + body. */
export async function callRest(
	url: string,
	body: Record<string, unknown>,
	init: { headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...init.headers },
		body: JSON.stringify(body),
	});
	return {
		status: response.status,
		body: (await response.json()) as Record<string, unknown>,
		headers: response.headers,
	};
}

/** An emulator with the Nitka app installed, a receiver for its posts, and a REST caller. */
export async function installedPortal(
	options: Parameters<typeof startBitrix24Emulator>[0] = {},
	app: Partial<AppDefinition> = {},
) {
	const receiver = await startAppReceiver();
	const emulator = await startBitrix24Emulator({ ...options, apps: [nitkaApp(receiver.url, app)] });
	const installed = await emulator.installApp(NITKA_APP_ID);
	const token = installed.auth.accessToken;
	const call = (method: string, params: Record<string, unknown> = {}) =>
		callRest(`${emulator.url}/rest/${method}`, { ...params, auth: token });
	const close = async () => {
		await emulator.close();
		await receiver.close();
	};
	return { emulator, receiver, installed, token, call, close };
}

export const NITKA_APP_ID = 'local.65f1a2b3c4d5e6.12345678';
