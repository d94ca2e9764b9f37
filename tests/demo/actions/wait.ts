/** Polls `check` until it gives a value (the connector answers through long polling and its workers). */
export async function waitFor<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 8_000,
): Promise<T | undefined> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() >= until) return undefined;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
