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
 * and the CPU slowed down four times, as a visitor (not signed in). Reports LCP, CLS, total
 * transfer, and the JavaScript and HTML each page costs (compressed, as sent: brotli from the
 * production server) against the budgets: JS ≤ 50 kB on the board page, HTML ≤ 30 kB; and the
 * board page's JavaScript from the build, gzipped, for each kind of viewer, chunk by chunk.
 */
const bench = 'page-experience';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measured {
	lcp: number;
	cls: number;
	transfer: number;
	script: number;
	html: number;
	/** Paths of the scripts the page loaded. */
	scripts: string[];
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
		const { lcp, cls, script, html, scripts } = await page.evaluate(() => {
			const w = window as unknown as { __lcp: number; __cls: number };
			const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
			const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			return {
				lcp: w.__lcp,
				cls: w.__cls,
				script: resources.filter((r) => new URL(r.name).pathname.endsWith('.js')).reduce((n, r) => n + r.encodedBodySize, 0),
				html: navigation.encodedBodySize,
				scripts: [...new Set(resources.map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.js')))]
			};
		});
		if (process.env.BENCH_DEBUG) {
			const list = await page.evaluate(() =>
				(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => `${r.encodedBodySize}\t${new URL(r.name).pathname}`)
			);
			console.log(list.join('\n'));
		}
		const transfer = [...sizes.values()].reduce((n, e) => n + e.bytes, 0);
		return { lcp, cls, transfer, script, html, scripts };
	} finally {
		await browser.close();
	}
}

/**
 * The board page's parts that load lazily, only for those who see them (routes/g/[id]/+page.ts).
 * Any other lazy import counts for every viewer, so a new one cannot slip out of the budget.
 */
const lazyParts = {
	// Beside the board page since the layout by feature (src/routes/g/[id]/+page.ts imports them).
	'forms for signed-in people': /^src\/routes\/g\/\[id\]\/member\//,
	'reminder switch and feedback form': /^src\/routes\/g\/\[id\]\/(GatheringFeedback|ReminderToggle)\.svelte$/,
	'needs of the gathering': /^src\/routes\/g\/\[id\]\/needs\.ts$/,
	"hosts' tools": /^src\/routes\/g\/\[id\]\/host\//,
	// Shared with other pages, these are chunks of their own, known by their name.
	'join form for visitors': /^src\/lib\/joining\/JoinHere\.svelte$|^JoinHere$/,
	'welcome after joining': /^src\/lib\/joining\/Welcome\.svelte$|^Welcome$/
} as const;
type LazyPart = keyof typeof lazyParts;

/** Who views the board page, from the lightest to the heaviest, and the lazy parts each loads. */
export const boardViewers = {
	visitor: ['join form for visitors'],
	'visitor, gathering with needs': ['join form for visitors', 'needs of the gathering'],
	'signed-in person': ['forms for signed-in people'],
	// Right after joining on the page: welcomed once.
	'signed-in person, just joined': ['forms for signed-in people', 'welcome after joining'],
	'member on the board': ['forms for signed-in people', 'reminder switch and feedback form'],
	host: ['forms for signed-in people', 'reminder switch and feedback form', 'needs of the gathering', "hosts' tools"]
} satisfies Record<string, LazyPart[]>;
export type BoardViewer = keyof typeof boardViewers;

export interface BuiltChunk {
	file: string;
	/** Rolldown's name for the chunk (its first module), to tell chunks apart between builds. */
	name: string;
	gzip: number;
	/** The lightest viewer who loads it. */
	firstLoadedBy: BoardViewer;
	/** Every viewer who loads it. */
	loadedBy: Set<BoardViewer>;
}

/**
 * The same budget read from the build (Vite's and SvelteKit's manifests): the scripts a route's
 * page loads — the client entry, its layouts and error page, its own node and all they import,
 * and what they import lazily (`import()`), each gzipped on its own as it is sent. Lazy chunks
 * of other pages and SvelteKit's fallback error template (only used when the app itself fails
 * to load) are left out; the served figures above check this against what the browser loads.
 */
export function builtJavaScript(routeId: string): BuiltChunk[] {
	const dir = '.svelte-kit/output/client/';
	const manifest = JSON.parse(readFileSync(`${dir}.vite/manifest.json`, 'utf8')) as Record<string, { file: string; name?: string; imports?: string[]; dynamicImports?: string[] }>;
	// The route's nodes (layouts, error page, leaf) from SvelteKit's server manifest.
	const routes = readFileSync('.svelte-kit/output/server/manifest.js', 'utf8');
	const entry = new RegExp(`id: "${routeId.replace(/[[\]/]/g, '\\$&')}",[^]*?page: \\{ layouts: \\[([\\d,]*)\\], errors: \\[([\\d,]*)\\], leaf: (\\d+)`).exec(routes);
	if (!entry) throw new Error(`route ${routeId} not in the build`);
	const nodes = [...entry[1]!.split(','), ...entry[2]!.split(','), entry[3]!].filter(Boolean);
	const key = (suffix: string) => Object.keys(manifest).find((k) => k.endsWith(suffix))!;
	const roots = [key('client/entry.js'), key('client-optimized/app.js'), ...nodes.map((n) => key(`/nodes/${n}.js`))];
	const loadedBy = new Map<string, Set<BoardViewer>>();
	for (const [viewer, parts] of Object.entries(boardViewers) as [BoardViewer, readonly LazyPart[]][]) {
		const visit = (k: string) => {
			const seen = loadedBy.get(k) ?? new Set();
			if (!manifest[k] || seen.has(viewer)) return;
			loadedBy.set(k, seen.add(viewer));
			for (const i of manifest[k]!.imports ?? []) visit(i);
			for (const d of manifest[k]!.dynamicImports ?? []) {
				if (d.includes('/nodes/') || d.endsWith('generated/shared/error-template.js')) continue;
				const part = (Object.keys(lazyParts) as LazyPart[]).find((p) => lazyParts[p].test(d) || lazyParts[p].test(manifest[d]?.name ?? ''));
				if (!part || parts.includes(part)) visit(d);
			}
		};
		roots.forEach(visit);
	}
	const order = Object.keys(boardViewers) as BoardViewer[];
	return [...loadedBy]
		.map(([k, viewers]) => ({
			file: manifest[k]!.file,
			name: manifest[k]!.name ?? k,
			gzip: gzipSync(readFileSync(dir + manifest[k]!.file)).length,
			firstLoadedBy: order.find((v) => viewers.has(v))!,
			loadedBy: viewers
		}))
		.sort((a, b) => order.indexOf(a.firstLoadedBy) - order.indexOf(b.firstLoadedBy) || b.gzip - a.gzip);
}

/** Gzipped bytes this viewer loads. */
export function budgetFor(chunks: BuiltChunk[], viewer: BoardViewer): number {
	return chunks.filter((c) => c.loadedBy.has(viewer)).reduce((n, c) => n + c.gzip, 0);
}

function median(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

/** The budgets of issue 8: JavaScript on the board page and HTML on every page, in kB. */
const BUDGET = { boardJavaScript: 50, html: 30 };
const kB = (bytes: number) => bytes / 1024;

export async function benchPageExperience({ baseUrl, dataDir }: BenchContext): Promise<Figure[]> {
	const board = await nextDemoDinner(dataDir);
	const figures: Figure[] = [];
	const built = builtJavaScript('/g/[id]');
	let boardScripts: string[] = [];
	for (const [name, path] of [
		['home', '/'],
		['board', `/g/${board}`]
	] as const) {
		const runs: Measured[] = [];
		for (let i = 0; i < RUNS; i++) runs.push(await measure(`${baseUrl}${path}`));
		const pick = (key: Exclude<keyof Measured, 'scripts'>) => median(runs.map((r) => r[key]));
		if (name === 'board') boardScripts = runs[0]!.scripts;
		const script = kB(pick('script'));
		const html = kB(pick('html'));
		figures.push(
			{ bench, metric: `${name}_lcp`, value: pick('lcp'), unit: 'ms', target: '<= 2500 (stretch 1500)', met: pick('lcp') <= 2500 },
			{ bench, metric: `${name}_cls`, value: pick('cls'), unit: '', target: '<= 0.1', met: pick('cls') <= 0.1 },
			{ bench, metric: `${name}_transfer`, value: kB(pick('transfer')), unit: 'kB' },
			name === 'board'
				? { bench, metric: `${name}_javascript`, value: script, unit: 'kB as sent', target: `<= ${BUDGET.boardJavaScript}`, met: script <= BUDGET.boardJavaScript }
				: { bench, metric: `${name}_javascript`, value: script, unit: 'kB as sent' },
			{ bench, metric: `${name}_html`, value: html, unit: 'kB as sent', target: `<= ${BUDGET.html}`, met: html <= BUDGET.html }
		);
	}
	// Measured at build too (what ships, independent of the network): gzipped, per viewer.
	const visitor = kB(budgetFor(built, 'visitor'));
	figures.push({ bench, metric: 'board_javascript_built', value: visitor, unit: 'kB gz', target: `<= ${BUDGET.boardJavaScript}`, met: visitor <= BUDGET.boardJavaScript });
	for (const viewer of Object.keys(boardViewers).slice(1) as BoardViewer[])
		figures.push({ bench, metric: `board_javascript_built_${viewer.replace(/\W+/g, '_')}`, value: kB(budgetFor(built, viewer)), unit: 'kB gz' });
	console.log('  board page scripts from the build (gzipped), by the lightest viewer who loads them:');
	for (const c of built) console.log(`    ${(c.gzip / 1024).toFixed(2).padStart(6)} kB  ${c.firstLoadedBy.padEnd(29)} ${c.name.padEnd(28)} ${c.file.replace('_app/immutable/', '')}`);
	// What the browser loaded as a visitor must be what the build counts for everyone.
	const counted = new Set(built.filter((c) => c.loadedBy.has('visitor')).map((c) => `/${c.file}`));
	const uncounted = boardScripts.filter((s) => !counted.has(s));
	const unloaded = [...counted].filter((f) => !boardScripts.includes(f));
	if (uncounted.length) console.log(`  WARNING: the browser loaded scripts the build does not count: ${uncounted.join(', ')}`);
	if (unloaded.length) console.log(`  counted in the build but not loaded by this visit: ${unloaded.join(', ')}`);
	return figures;
}
