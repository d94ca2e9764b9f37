import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
	child: ChildProcess;
	url: string;
	stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry as its own process (so the load generator never shares its event loop)
 * and waits for the line that carries its URL.
 */
export async function startProcess(entry: string, env: Record<string, string>): Promise<ServerProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', entry], {
		cwd: repoRoot,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${entry} did not start`)), 30_000);
		createInterface({ input: child.stdout! }).on('line', (line) => {
			const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
			if (match?.[1]) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
	});
	return {
		child,
		url,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
		},
	};
}
