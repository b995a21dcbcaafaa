import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, devices } from '@playwright/test';
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { nextDemoDinner } from './bench-database.ts';

/**
 * The home page and a board page as a cheap phone on a slow network sees them: headless
 * Chromium with mobile emulation, "slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up)
 * and the CPU slowed down four times. Reports LCP, CLS, total transfer, and the JavaScript
 * (compressed, as sent) and HTML each page costs against the budgets: JS ≤ 50 kB gzipped on
 * the board page, HTML ≤ 30 kB.
 */
const bench = 'page-experience';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measured {
	lcp: number;
	cls: number;
	transfer: number;
	script: number;
	html: number;
}

async function measure(url: string): Promise<Measured> {
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
	try {
		const context = await browser.newContext({ ...devices['Pixel 5'], locale: 'nl-NL' });
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 150,
			downloadThroughput: (1.6 * 1024 * 1024) / 8,
			uploadThroughput: (750 * 1024) / 8
		});
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
		// Bytes as they came over the wire (compressed), per response.
		const sizes = new Map<string, { bytes: number }>();
		cdp.on('Network.responseReceived', (event) => sizes.set(event.requestId, { bytes: 0 }));
		cdp.on('Network.loadingFinished', (event) => {
			const entry = sizes.get(event.requestId);
			if (entry) entry.bytes = event.encodedDataLength;
		});
		await page.addInitScript(() => {
			const w = window as unknown as { __lcp: number; __cls: number };
			w.__lcp = 0;
			w.__cls = 0;
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries()) w.__lcp = entry.startTime;
			}).observe({ type: 'largest-contentful-paint', buffered: true });
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
					if (!entry.hadRecentInput) w.__cls += entry.value;
				}
			}).observe({ type: 'layout-shift', buffered: true });
		});
		await page.goto(url, { waitUntil: 'load' });
		await page.waitForTimeout(3000);
		// Script and HTML: compressed body sizes, as the budgets count them (headers aside).
		const { lcp, cls, script, html } = await page.evaluate(() => {
			const w = window as unknown as { __lcp: number; __cls: number };
			const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
			const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			return {
				lcp: w.__lcp,
				cls: w.__cls,
				script: resources.filter((r) => new URL(r.name).pathname.endsWith('.js')).reduce((n, r) => n + r.encodedBodySize, 0),
				html: navigation.encodedBodySize
			};
		});
		if (process.env.BENCH_DEBUG) {
			const list = await page.evaluate(() =>
				(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => `${r.encodedBodySize}\t${new URL(r.name).pathname}`)
			);
			console.log(list.join('\n'));
		}
		const transfer = [...sizes.values()].reduce((n, e) => n + e.bytes, 0);
		return { lcp, cls, transfer, script, html };
	} finally {
		await browser.close();
	}
}

/**
 * The same budget read from the build (Vite's manifest): the scripts a route's page loads up
 * front — the client entry, its layouts and error page, its own node and all they import —
 * plus the ones it loads right after (socket.io), gzipped.
 */
function builtJavaScript(routeId: string): number {
	const dir = '.svelte-kit/output/client/';
	const manifest = JSON.parse(readFileSync(`${dir}.vite/manifest.json`, 'utf8')) as Record<string, { file: string; imports?: string[]; dynamicImports?: string[] }>;
	// The route's nodes (layouts, error page, leaf) from SvelteKit's server manifest.
	const routes = readFileSync('.svelte-kit/output/server/manifest.js', 'utf8');
	const entry = new RegExp(`id: "${routeId.replace(/[[\]/]/g, '\\$&')}",[^]*?page: \\{ layouts: \\[([\\d,]*)\\], errors: \\[([\\d,]*)\\], leaf: (\\d+)`).exec(routes);
	if (!entry) throw new Error(`route ${routeId} not in the build`);
	const nodes = [...entry[1]!.split(','), ...entry[2]!.split(','), entry[3]!].filter(Boolean);
	const key = (suffix: string) => Object.keys(manifest).find((k) => k.endsWith(suffix))!;
	const seen = new Set<string>();
	const visit = (k: string) => {
		if (seen.has(k) || !manifest[k]) return;
		seen.add(k);
		for (const i of manifest[k]!.imports ?? []) visit(i);
		// Loaded right after the page (socket.io), not other pages.
		for (const d of manifest[k]!.dynamicImports ?? []) if (!d.includes('/nodes/')) visit(d);
	};
	for (const k of [key('client/entry.js'), key('client-optimized/app.js'), ...nodes.map((n) => key(`/nodes/${n}.js`))]) visit(k);
	return [...seen].reduce((n, k) => n + gzipSync(readFileSync(dir + manifest[k]!.file)).length, 0);
}

function median(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchPageExperience({ baseUrl, dataDir }: BenchContext): Promise<Figure[]> {
	const board = await nextDemoDinner(dataDir);
	const figures: Figure[] = [];
	for (const [name, path] of [
		['home', '/'],
		['board', `/g/${board}`]
	] as const) {
		const runs: Measured[] = [];
		for (let i = 0; i < RUNS; i++) runs.push(await measure(`${baseUrl}${path}`));
		const pick = (key: keyof Measured) => median(runs.map((r) => r[key]));
		figures.push(
			{ bench, metric: `${name}_lcp`, value: pick('lcp'), unit: 'ms', target: '<= 2500 (stretch 1500)' },
			{ bench, metric: `${name}_cls`, value: pick('cls'), unit: '', target: '<= 0.1' },
			{ bench, metric: `${name}_transfer`, value: pick('transfer') / 1024, unit: 'kB' },
			{ bench, metric: `${name}_javascript`, value: pick('script') / 1024, unit: 'kB gz', target: name === 'board' ? '<= 50' : undefined },
			{ bench, metric: `${name}_html`, value: pick('html') / 1024, unit: 'kB', target: '<= 30' }
		);
	}
	// Measured at build too (what ships, independent of the network).
	figures.push({ bench, metric: 'board_javascript_built', value: builtJavaScript('/g/[id]') / 1024, unit: 'kB gz', target: '<= 50' });
	return figures;
}
