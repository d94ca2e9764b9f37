import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalFlusher } from '../../../../connector-server/src/db/sqlite-durability.ts';

describe('WalFlusher', () => {
	it('shares flushes: callers during a running flush get exactly one more flush, started after their commit', async () => {
		let flushes = 0;
		let finishFirst: () => void = () => undefined;
		const flusher = new WalFlusher('/unused', async () => {
			flushes += 1;
			if (flushes === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
		});
		const first = flusher.flushed();
		// Ten acknowledgements whose commits happened after the first flush had started.
		const later = Array.from({ length: 10 }, () => flusher.flushed());
		expect(flushes).toBe(1);
		finishFirst();
		await first;
		await Promise.all(later);
		expect(flushes).toBe(2);
		await flusher.flushed();
		expect(flushes).toBe(3);
	});

	it('really fdatasyncs the file', async () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'wal-')), 'db-wal');
		writeFileSync(file, 'frames');
		const flusher = new WalFlusher(file);
		await expect(flusher.flushed()).resolves.toBeUndefined();
		await flusher.close();
	});
});
