import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads `process.env`. With nothing set, the server runs embedded:
 * SQLite in ./data, a generated master key beside it, port 8080.
 */
const EnvSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
	HOST: z.string().default('127.0.0.1'),
	DATA_DIR: z.string().default('./data'),
	DATABASE_URL: z
		.string()
		.regex(
			/^(postgres(ql)?:\/\/|sqlite:)/,
			'DATABASE_URL must start with postgres://, postgresql:// or sqlite:',
		)
		.optional(),
	PUBLIC_URL: z.url().optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	/** 64 hex characters; when absent the key lives in DATA_DIR/master.key (mode 0600). */
	MASTER_KEY: z
		.string()
		.regex(/^[0-9a-fA-F]{64}$/, 'MASTER_KEY must be 64 hex characters (32 bytes)')
		.optional(),
	/** Unique name of this process among several sharing a PostgreSQL database (for leases). */
	WORKER_ID: z.string().min(1).max(100).optional(),
	/** Maximum accepted request body, e.g. "1mb". */
	BODY_LIMIT: z
		.string()
		.regex(/^\d+(b|kb|mb)$/)
		.default('1mb'),
	/** Requests per minute per client IP on the management API. */
	API_RATE_LIMIT: z.coerce.number().int().positive().default(600),
	/** Whether to run the inbox and outbox workers in this process. */
	WORKERS: z.enum(['on', 'off']).default('on'),
	/** The Bitrix24 marketplace app's credentials (both, or neither: without them Bitrix24 is off). */
	BITRIX24_CLIENT_ID: z.string().min(1).max(200).optional(),
	BITRIX24_CLIENT_SECRET: z.string().min(1).max(500).optional(),
	/** The marketplace app code (`vendor.app`) portals report in app.info, when it differs from the client id. */
	BITRIX24_APP_CODE: z.string().min(1).max(200).optional(),
	/** Where the bitrix-app UI is served; default `<PUBLIC_URL>/bitrix24/app/`. */
	BITRIX24_APP_URL: z.url().optional(),
	/** OAuth servers an install may name, comma-separated; default Bitrix24's two official ones. */
	BITRIX24_OAUTH_SERVERS: z
		.string()
		.default('https://oauth.bitrix.info/rest/,https://oauth.bitrix24.tech/rest/'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
	publicUrl: string | undefined;
	logLevel: Env['LOG_LEVEL'];
	masterKeyHex: string | undefined;
	workerId: string;
	bodyLimit: string;
	apiRateLimit: number;
	workers: boolean;
	bitrix24:
		| {
				clientId: string;
				clientSecret: string;
				appCode: string | undefined;
				appUrl: string;
				oauthServers: string[];
		  }
		| undefined;
}

export class ConfigError extends Error {
	override readonly name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
		throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
	}
	const e = parsed.data;
	if (Boolean(e.BITRIX24_CLIENT_ID) !== Boolean(e.BITRIX24_CLIENT_SECRET)) {
		throw new ConfigError(
			'Invalid configuration:\n  BITRIX24_CLIENT_ID and BITRIX24_CLIENT_SECRET go together',
		);
	}
	const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '');
	if (e.BITRIX24_CLIENT_ID && !e.BITRIX24_APP_URL && !publicUrl) {
		throw new ConfigError(
			'Invalid configuration:\n  Bitrix24 needs PUBLIC_URL (or BITRIX24_APP_URL): portals must reach the connector',
		);
	}
	const dataDir = path.resolve(e.DATA_DIR);
	let database: Config['database'] = { dialect: 'sqlite', file: path.join(dataDir, 'nitka.sqlite') };
	if (e.DATABASE_URL?.startsWith('sqlite:')) {
		const file = e.DATABASE_URL.slice('sqlite:'.length);
		database = { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
	} else if (e.DATABASE_URL) {
		database = { dialect: 'postgres', url: e.DATABASE_URL };
	}
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir,
		database,
		publicUrl,
		logLevel: e.LOG_LEVEL,
		masterKeyHex: e.MASTER_KEY,
		workerId: e.WORKER_ID ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
		bodyLimit: e.BODY_LIMIT,
		apiRateLimit: e.API_RATE_LIMIT,
		workers: e.WORKERS === 'on',
		bitrix24:
			e.BITRIX24_CLIENT_ID && e.BITRIX24_CLIENT_SECRET
				? {
						clientId: e.BITRIX24_CLIENT_ID,
						clientSecret: e.BITRIX24_CLIENT_SECRET,
						appCode: e.BITRIX24_APP_CODE,
						appUrl: e.BITRIX24_APP_URL ?? `${publicUrl}/bitrix24/app/`,
						oauthServers: e.BITRIX24_OAUTH_SERVERS.split(',')
							.map((url) => url.trim())
							.filter(Boolean),
					}
				: undefined,
	};
}

/** The documented variables, for README and `nitka config`. */
export const envDocumentation = Object.keys(EnvSchema.shape);
