import type { CounterDevice } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { randomToken, safeEqual, sha256Hex } from '../../security/tokens.ts';
import { newId, toIso } from '../clock.ts';
import { AuthenticationError, NotFoundError } from '../errors.ts';
import { getLocation } from './locations.ts';

/**
 * Counter devices: a tablet or till at one location with its own key `nkc_<id>_<secret>`. The key
 * is shown once; only a SHA-256 of its secret is kept and compared in constant time. Revoking
 * takes effect on the device's next request.
 */

type DeviceRow = Database['counter_devices'];

/** Who is calling the counter API: the device, and the tenant and location its key belongs to. */
export interface DevicePrincipal {
	deviceId: string;
	tenantId: string;
	locationId: string;
	name: string;
}

const KEY_FORMAT = /^nkc_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{32,})$/;

export function looksLikeDeviceKey(value: string): boolean {
	return value.startsWith('nkc_');
}

export function toDevice(row: DeviceRow): CounterDevice {
	return {
		id: row.id,
		locationId: row.location_id,
		name: row.name,
		createdAt: toIso(Number(row.created_at)),
		lastSeenAt: row.last_seen_at === null ? null : toIso(Number(row.last_seen_at)),
		revokedAt: row.revoked_at === null ? null : toIso(Number(row.revoked_at)),
	};
}

/** Creates a device at an active location of the tenant; the returned key is never shown again. */
export async function createDevice(
	db: Db,
	tenantId: string,
	locationId: string,
	name: string,
	now: number,
): Promise<{ device: CounterDevice; key: string }> {
	const location = await getLocation(db, tenantId, locationId);
	if (!location.active) throw new NotFoundError(`active location ${locationId}`);
	const id = newId(now);
	const secret = randomToken(32);
	const row: DeviceRow = {
		id,
		tenant_id: tenantId,
		location_id: locationId,
		name,
		key_hash: sha256Hex(secret),
		created_at: now,
		last_seen_at: null,
		revoked_at: null,
	};
	await db.insertInto('counter_devices').values(row).execute();
	return { device: toDevice(row), key: `nkc_${id}_${secret}` };
}

export async function listDevices(db: Db, tenantId: string, locationId: string): Promise<CounterDevice[]> {
	await getLocation(db, tenantId, locationId);
	const rows = await db
		.selectFrom('counter_devices')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('location_id', '=', locationId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map(toDevice);
}

/** Revokes at once: the device's next request is refused. Revoking twice keeps the first time. */
export async function revokeDevice(
	db: Db,
	tenantId: string,
	deviceId: string,
	now: number,
): Promise<CounterDevice> {
	const row = await db
		.selectFrom('counter_devices')
		.selectAll()
		.where('tenant_id', '=', tenantId)
		.where('id', '=', deviceId)
		.executeTakeFirst();
	if (!row) throw new NotFoundError(`device ${deviceId}`);
	if (row.revoked_at !== null) return toDevice(row);
	await db
		.updateTable('counter_devices')
		.set({ revoked_at: now })
		.where('tenant_id', '=', tenantId)
		.where('id', '=', deviceId)
		.where('revoked_at', 'is', null)
		.execute();
	return toDevice({ ...row, revoked_at: now });
}

/**
 * Authenticates a device key on every request (no cache, so a revocation holds at once). A device
 * whose location was deactivated is refused too.
 */
export async function authenticateDevice(db: Db, presented: string, now: number): Promise<DevicePrincipal> {
	const match = KEY_FORMAT.exec(presented);
	if (!match) throw new AuthenticationError('malformed counter device key');
	const [, id, secret] = match as unknown as [string, string, string];
	const row = await db
		.selectFrom('counter_devices as d')
		.innerJoin('locations as l', (join) =>
			join.onRef('l.id', '=', 'd.location_id').onRef('l.tenant_id', '=', 'd.tenant_id'),
		)
		.select([
			'd.id',
			'd.tenant_id',
			'd.location_id',
			'd.name',
			'd.key_hash',
			'd.revoked_at',
			'd.last_seen_at',
			'l.active',
		])
		.where('d.id', '=', id)
		.executeTakeFirst();
	if (!row || row.revoked_at !== null || !safeEqual(row.key_hash, sha256Hex(secret))) {
		throw new AuthenticationError('unknown or revoked counter device key');
	}
	if (row.active !== 1) throw new AuthenticationError('this device’s location is closed');
	// Coarse last-seen tracking: one write a minute at most per device.
	if (row.last_seen_at === null || now - Number(row.last_seen_at) > 60_000) {
		await db.updateTable('counter_devices').set({ last_seen_at: now }).where('id', '=', id).execute();
	}
	return { deviceId: row.id, tenantId: row.tenant_id, locationId: row.location_id, name: row.name };
}
