import { ReturnSettingsSchema } from '@nitka/shared';
import type { ConnectorApi } from '../connector/connector-api.ts';

/**
 * Journey 3's ticket settings, saved as the shop does in the app's settings: a Bitrix24 task for
 * the portal's installer (the demo's manager), the return QR valid two weeks. Saving binds the
 * portal's task events (each start: this run's portal is new). Null when the portal refused.
 */
export async function ensureDemoReturnSettings(api: ConnectorApi): Promise<string | null> {
	try {
		await api.call('PUT', '/return-settings', ReturnSettingsSchema, { mode: 'task', qrDays: 14 });
		return null;
	} catch (error) {
		return (error as Error).message;
	}
}
