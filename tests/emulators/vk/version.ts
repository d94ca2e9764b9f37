/** Compares VK API versions such as `5.131` and `5.199` numerically, part by part. */
export function compareVersions(a: string, b: string): number {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	for (let i = 0; i < Math.max(left.length, right.length); i++) {
		const diff = (left[i] ?? 0) - (right[i] ?? 0);
		if (diff !== 0) return diff;
	}
	return 0;
}

export function isVersion(value: string): boolean {
	return /^\d+\.\d+$/.test(value);
}
