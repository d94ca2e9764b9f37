import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedLoadOptions {
	url: string;
	headers: Record<string, string>;
	/** Requests per second, spread evenly: request n is due at n / rate seconds. */
	rate: number;
	seconds: number;
	body: () => string;
	/** Sockets kept open to the server (a platform's delivery pool). */
	sockets?: number;
}

export interface PacedLoadResult {
	sent: number;
	ok: number;
	errors: number;
	p50: number;
	p99: number;
	max: number;
}

/**
 * An open-loop load at a steady rate, the way a platform delivers webhooks: each request leaves at
 * its own due time whether or not earlier ones have been answered, and its latency counts from
 * that due time, so a stalled server is charged for the requests that queued behind the stall.
 * (autocannon's `overallRate` sends each second's quota as a burst at the start of the second and
 * then waits, which measures the burst's queue rather than the server at that rate.)
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets ?? 64 });
	const target = new URL(options.url);
	const total = Math.round(options.rate * options.seconds);
	const latencies: number[] = [];
	let errors = 0;
	const inFlight = new Set<Promise<void>>();
	const send = (dueAt: number) => {
		const payload = options.body();
		const done = new Promise<void>((resolve) => {
			const request = http.request(
				{
					agent,
					host: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(payload),
						...options.headers,
					},
				},
				(response) => {
					response.resume();
					response.once('end', () => {
						if (response.statusCode !== undefined && response.statusCode < 300)
							latencies.push(performance.now() - dueAt);
						else errors += 1;
						resolve();
					});
				},
			);
			request.once('error', () => {
				errors += 1;
				resolve();
			});
			request.end(payload);
		});
		inFlight.add(done);
		void done.then(() => inFlight.delete(done));
	};
	const start = performance.now();
	const interval = 1000 / options.rate;
	let sent = 0;
	while (sent < total) {
		const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
		for (; sent < due; sent++) send(start + sent * interval);
		await sleep(1);
	}
	await Promise.all(inFlight);
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
	return {
		sent: total,
		ok: latencies.length,
		errors,
		p50: at(0.5),
		p99: at(0.99),
		max: latencies.at(-1) ?? 0,
	};
}
