import { performance } from 'node:perf_hooks';
import { ensureWordPress, shop, type WordPressHarness } from '../tests/wordpress/harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 15);

/** Logs the admin in and returns its cookie header. */
async function login(wp: WordPressHarness): Promise<string> {
	const response = await fetch(`${wp.url}/wp-login.php`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
		},
		body: new URLSearchParams({ log: wp.admin, pwd: wp.adminPassword, testcookie: '1' }),
		redirect: 'manual',
	});
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

async function measure(url: string, cookie: string, marker: string | null): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < PER_ROUND; i++) {
		const started = performance.now();
		const response = await fetch(url, { headers: { cookie } });
		const html = await response.text();
		times.push(performance.now() - started);
		if (response.status !== 200) throw new Error(`order screen answered ${response.status}`);
		if (marker !== null && !html.includes(marker)) throw new Error('the timeline panel is missing');
	}
	return times;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * The HPOS order edit screen's server response time with the plugin active (timeline meta box,
 * its script and translations enqueued) vs the plugin deactivated, in one run on the test
 * WordPress (php -S, 4 workers). Rounds alternate so drift hits both sides alike.
 */
export async function woocommerceOrderScreenBenchmark(): Promise<void> {
	const wp = await ensureWordPress();
	const order = await shop<{ id: number; edit: string }>('create-order', {
		status: 'processing',
		total: '990.00',
		billing: { first_name: 'Bench', last_name: 'Mark', email: 'bench@lenta-shop.ru', phone: '+79120000000' },
		items: [{ name: 'Bench item', quantity: 1, total: '990.00' }],
	});
	const cookie = await login(wp);
	const withPanel: number[] = [];
	const without: number[] = [];
	try {
		await measure(order.edit, cookie, null); // warm opcache and the database
		for (let round = 0; round < ROUNDS; round++) {
			await shop('plugin', { active: false });
			without.push(...(await measure(order.edit, cookie, null)));
			await shop('plugin', { active: true });
			withPanel.push(...(await measure(order.edit, cookie, 'nitka-timeline')));
		}
	} finally {
		await shop('plugin', { active: true });
	}
	const a = median(withPanel);
	const b = median(without);
	console.log(`WordPress ${wp.wordpress}, PHP ${wp.php}; ${withPanel.length} requests per side`);
	console.log(`order screen with the Nitka panel:  median ${a.toFixed(1)} ms`);
	console.log(`order screen, plugin deactivated:   median ${b.toFixed(1)} ms`);
	console.log(`woocommerce-order-screen: ${(a / b).toFixed(2)}x (goal ≤ 1.1x)`);
}
