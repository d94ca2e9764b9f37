import { type HostKind, HostKindSchema } from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { Clock } from '../clock.ts';
import type {
	HostInstallInput,
	HostPortal,
	HostPortalStore,
	HostSecrets,
	HostTokens,
} from '../ports/host-portals.ts';
import { createTenant } from '../tenants/tenant-repository.ts';

const SecretsSchema = z.object({
	applicationToken: z.string(),
	tokens: z.object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number() }).nullable(),
});

type Row = {
	tenant_id: string;
	host: string;
	external_id: string;
	domain: string;
	client_endpoint: string;
	server_endpoint: string;
	status: string;
	settings: string;
};

const toPortal = (row: Row): HostPortal => ({
	tenantId: row.tenant_id,
	host: HostKindSchema.parse(row.host),
	externalId: row.external_id,
	domain: row.domain,
	clientEndpoint: row.client_endpoint,
	serverEndpoint: row.server_endpoint,
	status: row.status === 'active' ? 'active' : 'uninstalled',
	settings: z.record(z.string(), z.unknown()).parse(JSON.parse(row.settings)),
});

// Sealed with the tenant in the associated data: a copied ciphertext does not open elsewhere.
const context = (tenantId: string) => `host-portal:${tenantId}:secrets`;

/** HostPortalStore on the `host_portals` table; tokens sealed with the SecretBox. */
export function createHostPortalStore(db: Db, box: SecretBox, clock: Clock): HostPortalStore {
	const seal = (tenantId: string, secrets: z.infer<typeof SecretsSchema>) =>
		box.seal(JSON.stringify(secrets), context(tenantId));
	const columns = [
		'tenant_id',
		'host',
		'external_id',
		'domain',
		'client_endpoint',
		'server_endpoint',
		'status',
		'settings',
	] as const;

	async function secrets(tenantId: string): Promise<HostSecrets | null> {
		const row = await db
			.selectFrom('host_portals')
			.select(['secrets', 'token_version'])
			.where('tenant_id', '=', tenantId)
			.executeTakeFirst();
		if (!row) return null;
		const opened = SecretsSchema.parse(JSON.parse(box.open(row.secrets, context(tenantId))));
		return { ...opened, version: Number(row.token_version) };
	}

	return {
		secrets,
		async install(input: HostInstallInput) {
			const at = clock.now();
			return await db.transaction().execute(async (tx) => {
				const existing = await tx
					.selectFrom('host_portals')
					.select(['tenant_id', 'token_version'])
					.where('host', '=', input.host)
					.where('external_id', '=', input.externalId)
					.executeTakeFirst();
				const sealedFor = (tenantId: string) =>
					seal(tenantId, { applicationToken: input.applicationToken, tokens: input.tokens });
				if (existing) {
					await tx
						.updateTable('host_portals')
						.set({
							domain: input.domain,
							client_endpoint: input.clientEndpoint,
							server_endpoint: input.serverEndpoint,
							status: 'active',
							secrets: sealedFor(existing.tenant_id),
							token_version: existing.token_version + 1,
							expires_at: input.tokens?.expiresAt ?? 0,
							updated_at: at,
						})
						.where('tenant_id', '=', existing.tenant_id)
						.execute();
					const row = await tx
						.selectFrom('host_portals')
						.select(columns)
						.where('tenant_id', '=', existing.tenant_id)
						.executeTakeFirstOrThrow();
					return { portal: toPortal(row), created: false };
				}
				// A tenant may exist without an install row (created by an admin beforehand): reuse it.
				const tenantRow = await tx
					.selectFrom('tenants')
					.select('id')
					.where('kind', '=', input.host)
					.where('external_id', '=', input.externalId)
					.executeTakeFirst();
				const tenantId =
					tenantRow?.id ??
					(await createTenant(tx, { kind: input.host, name: input.name, externalId: input.externalId }, at))
						.id;
				const row = {
					tenant_id: tenantId,
					host: input.host,
					external_id: input.externalId,
					domain: input.domain,
					client_endpoint: input.clientEndpoint,
					server_endpoint: input.serverEndpoint,
					status: 'active',
					secrets: sealedFor(tenantId),
					token_version: 1,
					expires_at: input.tokens?.expiresAt ?? 0,
					settings: '{}',
					installed_at: at,
					updated_at: at,
				};
				await tx.insertInto('host_portals').values(row).execute();
				return { portal: toPortal(row), created: true };
			});
		},
		async byExternalId(host: HostKind, externalId: string) {
			const row = await db
				.selectFrom('host_portals')
				.select(columns)
				.where('host', '=', host)
				.where('external_id', '=', externalId)
				.executeTakeFirst();
			return row ? toPortal(row) : null;
		},
		async byTenant(tenantId: string) {
			const row = await db
				.selectFrom('host_portals')
				.select(columns)
				.where('tenant_id', '=', tenantId)
				.executeTakeFirst();
			return row ? toPortal(row) : null;
		},
		async saveTokens(tenantId: string, tokens: HostTokens, expectedVersion: number) {
			const current = await secrets(tenantId);
			if (!current || current.version !== expectedVersion) return false;
			const result = await db
				.updateTable('host_portals')
				.set({
					secrets: seal(tenantId, { applicationToken: current.applicationToken, tokens }),
					token_version: expectedVersion + 1,
					expires_at: tokens.expiresAt,
					updated_at: clock.now(),
				})
				.where('tenant_id', '=', tenantId)
				.where('token_version', '=', expectedVersion)
				.executeTakeFirst();
			return Number(result.numUpdatedRows) === 1;
		},
		async uninstall(tenantId: string) {
			const current = await secrets(tenantId);
			if (!current) return;
			await db
				.updateTable('host_portals')
				.set({
					status: 'uninstalled',
					secrets: seal(tenantId, { applicationToken: current.applicationToken, tokens: null }),
					token_version: current.version + 1,
					expires_at: 0,
					updated_at: clock.now(),
				})
				.where('tenant_id', '=', tenantId)
				.execute();
		},
		async saveSettings(tenantId: string, settings: Record<string, unknown>) {
			await db
				.updateTable('host_portals')
				.set({ settings: JSON.stringify(settings), updated_at: clock.now() })
				.where('tenant_id', '=', tenantId)
				.execute();
		},
		async listActive(host: HostKind) {
			const rows = await db
				.selectFrom('host_portals')
				.select(columns)
				.where('host', '=', host)
				.where('status', '=', 'active')
				.orderBy('tenant_id')
				.execute();
			return rows.map(toPortal);
		},
	};
}
