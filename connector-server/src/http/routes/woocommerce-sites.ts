import { randomBytes } from 'node:crypto';
import type { HostKind } from '@nitka/shared';
import { newId } from '../../core/clock.ts';
import { AuthenticationError, ConflictError } from '../../core/errors.ts';
import { enqueueJobs } from '../../core/outbox/outbox-repository.ts';
import type { WooCommerceSite, WooCommerceSiteDirectory } from '../../core/ports/woocommerce-sites.ts';
import { createTenant } from '../../core/tenants/tenant-repository.ts';
import type { Db } from '../../db/database.ts';
import { PING_JOB_KIND } from '../../hosts/woocommerce/index.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { randomToken, sha256Hex } from '../../security/tokens.ts';

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_TTL_MS = 15 * 60_000;
const KIND: HostKind = 'woocommerce';

// The sealed secret is bound to its row: copied to another site it no longer opens.
const secretContext = (tenantId: string, siteId: string) => `woocommerce-site:${tenantId}:${siteId}`;
const normalizeCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** Paired WooCommerce sites, pairing codes and nonces in the database (the port's storage side). */
export function createWooCommerceSites(
	db: Db,
	box: SecretBox,
): WooCommerceSiteDirectory & {
	issueCode(
		scope: { tenantId?: string; agencyId?: string },
		at: number,
	): Promise<{ code: string; expiresAt: number }>;
	redeem(
		input: {
			code: string;
			siteUrl: string;
			siteName: string;
			pluginVersion?: string;
			callbackUrl?: string;
			/** The tenant whose paired plugin signed the request, if one did. */
			provenTenantId?: string | undefined;
		},
		at: number,
	): Promise<{ tenantId: string; tenantName: string; siteId: string; secret: string }>;
	touch(siteId: string, at: number): Promise<void>;
} {
	type Row = { id: string; tenant_id: string; site_url: string; callback_url: string | null; secret: string };
	const toSite = (row: Row): WooCommerceSite => ({
		siteId: row.id,
		tenantId: row.tenant_id,
		siteUrl: row.site_url,
		callbackUrl: row.callback_url,
		secret: box.open(row.secret, secretContext(row.tenant_id, row.id)),
	});
	const columns = ['id', 'tenant_id', 'site_url', 'callback_url', 'secret'] as const;

	return {
		async bySiteId(siteId) {
			const row = await db
				.selectFrom('woocommerce_sites')
				.select(columns)
				.where('id', '=', siteId)
				.where('status', '=', 'active')
				.executeTakeFirst();
			return row ? toSite(row) : null;
		},
		async byTenant(tenantId) {
			const row = await db
				.selectFrom('woocommerce_sites')
				.select(columns)
				.where('tenant_id', '=', tenantId)
				.where('status', '=', 'active')
				.executeTakeFirst();
			return row ? toSite(row) : null;
		},
		async rememberNonce(siteId, nonce, at) {
			// Nonces older than twice the window can never verify again: forget them as we go.
			await db
				.deleteFrom('woocommerce_nonces')
				.where('seen_at', '<', at - 600_000)
				.execute();
			const inserted = await db
				.insertInto('woocommerce_nonces')
				.values({ site_id: siteId, nonce, seen_at: at })
				.onConflict((oc) => oc.columns(['site_id', 'nonce']).doNothing())
				.executeTakeFirst();
			return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
		},
		async markVerified(siteId, at) {
			await db.updateTable('woocommerce_sites').set({ verified_at: at }).where('id', '=', siteId).execute();
		},
		async touch(siteId, at) {
			await db.updateTable('woocommerce_sites').set({ last_event_at: at }).where('id', '=', siteId).execute();
		},
		async issueCode(scope, at) {
			// 12 symbols of 32 (60 bits): 256 is a multiple of 32, so byte % 32 is unbiased.
			const code = Array.from(randomBytes(12), (byte) => CODE_ALPHABET.charAt(byte % 32)).join('');
			await db
				.insertInto('woocommerce_pairing_codes')
				.values({
					id: newId(at),
					code_hash: sha256Hex(code),
					tenant_id: scope.tenantId ?? null,
					agency_id: scope.agencyId ?? null,
					expires_at: at + CODE_TTL_MS,
					used_at: null,
					created_at: at,
				})
				.execute();
			return {
				code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
				expiresAt: at + CODE_TTL_MS,
			};
		},
		async redeem(input, at) {
			return await db.transaction().execute(async (tx) => {
				const hash = sha256Hex(normalizeCode(input.code));
				const spent = await tx
					.updateTable('woocommerce_pairing_codes')
					.set({ used_at: at })
					.where('code_hash', '=', hash)
					.where('used_at', 'is', null)
					.where('expires_at', '>', at)
					.executeTakeFirst();
				if (Number(spent.numUpdatedRows) !== 1)
					throw new AuthenticationError('unknown, used or expired pairing code');
				const code = await tx
					.selectFrom('woocommerce_pairing_codes')
					.select(['tenant_id', 'agency_id'])
					.where('code_hash', '=', hash)
					.executeTakeFirstOrThrow();
				const tenant = await tenantFor(tx, code, input, at);
				await tx
					.updateTable('woocommerce_sites')
					.set({ status: 'replaced' })
					.where('tenant_id', '=', tenant.id)
					.where('status', '=', 'active')
					.execute();
				const siteId = newId(at);
				const secret = randomToken(32);
				await tx
					.insertInto('woocommerce_sites')
					.values({
						id: siteId,
						tenant_id: tenant.id,
						site_url: input.siteUrl,
						callback_url: input.callbackUrl ?? null,
						secret: box.seal(secret, secretContext(tenant.id, siteId)),
						plugin_version: input.pluginVersion ?? null,
						status: 'active',
						last_event_at: null,
						verified_at: null,
						created_at: at,
					})
					.execute();
				if (input.callbackUrl) {
					await enqueueJobs(
						tx,
						tenant.id,
						[{ kind: PING_JOB_KIND, target: `woocommerce:${siteId}`, payload: { siteId }, maxAttempts: 5 }],
						at,
					);
				}
				return { tenantId: tenant.id, tenantName: tenant.name, siteId, secret };
			});
		},
	};
}

/**
 * The code's tenant; or the site's existing WooCommerce tenant in the same scope; or a new one. A
 * code issued for no tenant and no agency (the local demo code, which needs no API key) creates a
 * tenant but re-pairs an existing one only when the site's paired plugin signed the request: the
 * site URL alone is no proof, anyone on the machine could claim it and take the tenant's data.
 */
async function tenantFor(
	tx: Db,
	code: { tenant_id: string | null; agency_id: string | null },
	input: { siteUrl: string; siteName: string; provenTenantId?: string | undefined },
	at: number,
): Promise<{ id: string; name: string }> {
	if (code.tenant_id) {
		return await tx
			.selectFrom('tenants')
			.select(['id', 'name'])
			.where('id', '=', code.tenant_id)
			.executeTakeFirstOrThrow();
	}
	const existing = await tx
		.selectFrom('tenants')
		.select(['id', 'name', 'agency_id'])
		.where('kind', '=', KIND)
		.where('external_id', '=', input.siteUrl)
		.executeTakeFirst();
	if (existing) {
		if (existing.agency_id !== code.agency_id)
			throw new ConflictError('this site is paired under another account');
		if (!code.agency_id && input.provenTenantId !== existing.id) {
			throw new ConflictError(
				'this site is already paired: re-pair it from its paired plugin, or with a code issued by an admin API key',
			);
		}
		return existing;
	}
	return await createTenant(
		tx,
		{ kind: KIND, name: input.siteName, externalId: input.siteUrl, agencyId: code.agency_id },
		at,
	);
}
