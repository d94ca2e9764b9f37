import { parseArgs } from 'node:util';
import { HostKindSchema } from '@nitka/shared';
import { z } from 'zod';
import { ConfigError, envDocumentation, loadConfig } from './config/config.ts';
import { issueApiKey, revokeApiKey } from './core/tenants/api-keys.ts';
import { createAgency, createTenant, listTenants } from './core/tenants/tenant-repository.ts';
import { openDatabase } from './db/database.ts';

const USAGE = `Nitka operator commands (they use the same configuration as the server: DATA_DIR, DATABASE_URL):

  nitka agency create --name NAME                      create an agency; prints its id and an agency API key
  nitka tenant create --kind bitrix24|woocommerce --name NAME --external-id ID [--agency AGENCY_ID]
                                                       create a tenant; prints its id and a tenant API key
  nitka tenant list --agency AGENCY_ID                 list an agency's tenants
  nitka key create (--tenant ID | --agency ID) [--name NAME]   issue another API key (shown once)
  nitka key revoke --id KEY_ID                         revoke an API key
  nitka env                                            list the environment variables the server reads
`;

const Args = z.object({
	name: z.string().min(1).max(200).optional(),
	kind: HostKindSchema.optional(),
	'external-id': z.string().min(1).max(500).optional(),
	agency: z.string().optional(),
	tenant: z.string().optional(),
	id: z.string().optional(),
});

function need<T>(value: T | undefined, flag: string): T {
	if (value === undefined) throw new Error(`missing --${flag}\n\n${USAGE}`);
	return value;
}

async function main(argv: string[]): Promise<void> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			name: { type: 'string' },
			kind: { type: 'string' },
			'external-id': { type: 'string' },
			agency: { type: 'string' },
			tenant: { type: 'string' },
			id: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	const [noun, verb] = positionals;
	if (values.help || !noun) {
		process.stdout.write(USAGE);
		return;
	}
	if (noun === 'env') {
		process.stdout.write(`${envDocumentation.join('\n')}\n`);
		return;
	}
	const parsed = Args.safeParse(values);
	if (!parsed.success) {
		throw new Error(
			parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'),
		);
	}
	const args = parsed.data;
	const config = loadConfig();
	const { db, close } = await openDatabase(config.database);
	const now = Date.now();
	try {
		const command = `${noun} ${verb ?? ''}`.trim();
		if (command === 'agency create') {
			const agency = await createAgency(db, need(args.name, 'name'), now);
			const key = await issueApiKey(db, { agencyId: agency.id }, 'cli', now);
			process.stdout.write(`agency ${agency.id}\napi key ${key.key}\n`);
		} else if (command === 'tenant create') {
			const tenant = await createTenant(
				db,
				{
					kind: need(args.kind, 'kind'),
					name: need(args.name, 'name'),
					externalId: need(args['external-id'], 'external-id'),
					agencyId: args.agency ?? null,
				},
				now,
			);
			const key = await issueApiKey(db, { tenantId: tenant.id }, 'cli', now);
			process.stdout.write(`tenant ${tenant.id}\napi key ${key.key}\n`);
		} else if (command === 'tenant list') {
			for (const tenant of await listTenants(db, { agencyId: need(args.agency, 'agency') })) {
				process.stdout.write(`${tenant.id}\t${tenant.kind}\t${tenant.externalId}\t${tenant.name}\n`);
			}
		} else if (command === 'key create') {
			const owner = args.tenant
				? { tenantId: args.tenant }
				: { agencyId: need(args.agency, 'tenant or --agency') };
			const key = await issueApiKey(db, owner, args.name ?? 'cli', now);
			process.stdout.write(`api key ${key.key}\n`);
		} else if (command === 'key revoke') {
			await revokeApiKey(db, need(args.id, 'id'), now);
			process.stdout.write('revoked\n');
		} else {
			throw new Error(`unknown command "${command}"\n\n${USAGE}`);
		}
	} finally {
		await close();
	}
}

main(process.argv.slice(2)).catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
