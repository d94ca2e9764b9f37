import { z } from 'zod';

/** The demo's settings: the one place the launcher reads `process.env`; every default runs with none set. */
const DemoEnvSchema = z.object({
	/** SQLite, master key and everything the connector keeps (default ./data, as `npm run server`). */
	DEMO_DATA_DIR: z.string().min(1).default('./data'),
	/** The demo page's port; if taken, any free port is used. */
	DEMO_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
	/** The connector's own log level (the launcher prints one line per component regardless). */
	DEMO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('error'),
	/** A running WordPress with the Nitka plugin (tests/wordpress), shown on the page when given. */
	DEMO_WORDPRESS_URL: z.url().optional(),
});

export type DemoEnv = z.infer<typeof DemoEnvSchema>;

export function readDemoEnv(env: Record<string, string | undefined> = process.env): DemoEnv {
	const parsed = DemoEnvSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
		throw new Error(`Invalid demo configuration:\n  ${lines.join('\n  ')}`);
	}
	return parsed.data;
}
