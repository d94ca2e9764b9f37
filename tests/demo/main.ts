import { readDemoEnv } from './demo-env.ts';
import { startDemo } from './start-demo.ts';

/** `npm start` / `npm run demo`: the connector with every platform emulated, and one page to try it. */
async function main(): Promise<void> {
	const env = readDemoEnv();
	const log = (line: string) => process.stdout.write(`  ${line}\n`);
	const demo = await startDemo({
		dataDir: env.DEMO_DATA_DIR,
		port: env.DEMO_PORT,
		logLevel: env.DEMO_LOG_LEVEL,
		wordpressUrl: env.DEMO_WORDPRESS_URL,
		log,
	});
	process.stdout.write(`\nNitka demo: ${demo.url}\n\n`);
	const shutdown = () => {
		process.stdout.write('stopping…\n');
		demo.stop().then(
			() => process.exit(0),
			(error: unknown) => {
				process.stderr.write(`stop failed: ${(error as Error).message}\n`);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

await main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
});
