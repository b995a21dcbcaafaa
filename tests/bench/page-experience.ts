import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, devices, type Browser } from '@playwright/test';
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import pg from 'pg';
import { benchDatabase, nextDemoDinner } from './bench-database.ts';
import { joinPeople } from './board-fanout.ts';

/**
 * The home page and a board page as a cheap phone on a slow network sees them: headless
 * Chromium with mobile emulation, "slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up)
 * and the CPU slowed down four times (Lighthouse's mobile setting; this machine's Lighthouse
 * benchmark index is about 1,600 unthrottled, 450 slowed: between DevTools' low-tier and
 * mid-tier phones), as a visitor and, for the board, as a member who is coming (issue 19).
 * Reports LCP, CLS, total blocking time (from Chromium's trace, as Lighthouse counts it) beside
 * the same board without JavaScript (what parsing, style and layout alone block), total
 * transfer, and the JavaScript and HTML each page costs (compressed as sent: brotli from the
 * production server; and the same scripts gzipped, as the budgets count) against the budgets:
 * JS ≤ 50 kB on the board page for a visitor, ≤ 60 kB for a member, total blocking time
 * ≤ 300 ms for a member, HTML ≤ 30 kB; and the board page's JavaScript from the build, gzipped,
 * for each kind of viewer, chunk by chunk.
 */
const bench = 'page-experience';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measured {
	lcp: number;
	cls: number;
	/** Total blocking time: each long task's time over 50 ms, from first contentful paint on. */
	tbt: number;
	transfer: number;
	script: number;
	html: number;
	/** Paths of the scripts the page loaded. */
	scripts: string[];
}

/** How a page is opened: as whom (a session's cookies), and with or without JavaScript. */
interface Visit {
	cookie?: string;
	javaScript?: boolean;
}

/**
 * One visit, in a context of its own (no cookies, no cache) of a Chromium already started: a
 * phone's browser and fonts are warm, while a Chromium just started on this machine spends
 * 100 ms and more of the first page's layout finding its fonts (see `warmed`).
 */
async function measure(browser: Browser, url: string, visit: Visit = {}): Promise<Measured> {
	const context = await browser.newContext({ ...devices['Pixel 5'], locale: 'nl-NL', javaScriptEnabled: visit.javaScript ?? true });
	try {
		if (visit.cookie)
			await context.addCookies(
				visit.cookie.split('; ').map((pair) => {
					const at = pair.indexOf('=');
					// For the whole site (the socket too), not only the page's folder as `url` would make it.
					return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: new URL(url).hostname, path: '/' };
				})
			);
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
		// The main thread's tasks as Lighthouse reads them: from Chromium's own trace.
		await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading'] });
		await page.goto(url, { waitUntil: 'load' });
		await page.waitForTimeout(3000);
		// Script and HTML: compressed body sizes, as the budgets count them (headers aside).
		const trace = (await browser.stopTracing()).toString('utf8');
		// BENCH_TRACE=<folder>: each page's trace kept, to open in Chromium's performance panel.
		if (process.env.BENCH_TRACE) writeFileSync(join(process.env.BENCH_TRACE, `${new URL(url).pathname.replace(/\W+/g, '_')}-${visit.cookie ? 'member' : 'visitor'}${visit.javaScript === false ? '-nojs' : ''}-${Date.now()}.json`), trace);
		const tbt = totalBlockingTime(JSON.parse(trace) as Trace);
		const { lcp, cls, script, html, scripts } = await page.evaluate(() => {
			// Without JavaScript the page's own observers never ran (lcp and cls are then not known).
			const w = window as unknown as { __lcp?: number; __cls?: number };
			const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
			const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			return {
				lcp: w.__lcp ?? Number.NaN,
				cls: w.__cls ?? Number.NaN,
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
		return { lcp, cls, tbt, transfer, script, html, scripts };
	} finally {
		await context.close();
	}
}

/** Chromium, started and warmed by one uncounted visit of each page that is measured. */
async function warmed(urls: string[]): Promise<Browser> {
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
	for (const url of urls) await measure(browser, url);
	return browser;
}

interface Trace {
	traceEvents: { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; frame?: string } }[];
}

/**
 * Total blocking time, as Lighthouse counts it: of every task on the page's main thread that
 * ends after the first contentful paint, the time beyond 50 ms (of the part after the paint). Counted until three seconds
 * after the load event (Lighthouse stops at "time to interactive", so this is the stricter).
 */
export function totalBlockingTime({ traceEvents }: Trace): number {
	const paint = traceEvents.find((e) => e.name === 'firstContentfulPaint');
	if (!paint) return Number.NaN;
	// The renderer's main thread of the page that painted.
	const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === paint.pid);
	if (!main) return Number.NaN;
	return traceEvents
		.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === main.pid && e.tid === main.tid)
		.reduce((sum, e) => sum + Math.max(0, (e.ts + (e.dur ?? 0) - Math.max(e.ts, paint.ts)) / 1000 - 50), 0);
}

/**
 * The board page's parts that load lazily, only for those who see them (routes/g/[id]/+page.ts).
 * Any other lazy import counts for every viewer, so a new one cannot slip out of the budget.
 */
const lazyParts = {
	// Beside the board page since the layout by feature (src/routes/g/[id]/+page.ts imports them).
	'forms for signed-in people': /^src\/routes\/g\/\[id\]\/member\//,
	// One or the other: the reminder switch until the date begins, then the feedback form.
	'reminder switch': /^src\/routes\/g\/\[id\]\/ReminderToggle\.svelte$/,
	'feedback form': /^src\/routes\/g\/\[id\]\/GatheringFeedback\.svelte$/,
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
	'member on the board': ['forms for signed-in people', 'reminder switch'],
	'member who came, once it began': ['forms for signed-in people', 'feedback form'],
	host: ['forms for signed-in people', 'reminder switch', 'needs of the gathering', "hosts' tools"]
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

/**
 * The budgets of issue 8 (JavaScript on the board page for a visitor and HTML on every page, in
 * kB) and of issue 19 (the board of a signed-in member: JavaScript in kB, total blocking time in
 * ms on the throttled phone).
 */
const BUDGET = { boardJavaScript: 50, html: 30, signedInBoardJavaScript: 60, signedInBoardBlocking: 300 };
const kB = (bytes: number) => bytes / 1024;

/** A member of the board's neighbourhood who is coming to it: the signed-in viewer measured here. */
async function memberOnBoard(baseUrl: string, dataDir: string, board: string): Promise<string> {
	const pool = new pg.Pool({ ...(await benchDatabase(dataDir)).connection, max: 1 });
	try {
		const { rows } = await pool.query<{ id: string }>(`select a.neighbourhood_id as id from gathering g join activity a on a.id = g.activity_id where g.id = $1`, [board]);
		const [cookie] = await joinPeople(pool, baseUrl, rows[0]!.id, 1, 'Bladzijde', 90_000);
		const said = await fetch(`${baseUrl}/g/${board}?/respond`, {
			method: 'POST',
			headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: cookie!, 'x-forwarded-for': '198.51.100.90' },
			body: new URLSearchParams({ status: 'going', guests: '0' }),
			redirect: 'manual'
		});
		if (said.status !== 303) throw new Error(`"Ik kom" answered ${said.status}`);
		return cookie!;
	} finally {
		await pool.end();
	}
}

export async function benchPageExperience({ baseUrl, dataDir }: BenchContext): Promise<Figure[]> {
	const board = await nextDemoDinner(dataDir);
	const member = await memberOnBoard(baseUrl, dataDir, board);
	const figures: Figure[] = [];
	const built = builtJavaScript('/g/[id]');
	let boardScripts: string[] = [];
	const pages = [
		['home', '/', {}],
		['board', `/g/${board}`, {}],
		// The board of someone who is coming (the reminder switch shows), and the same page
		// without JavaScript: the floor of its blocking time (parsing, style, layout, paint).
		['board_member', `/g/${board}`, { cookie: member }],
		['board_member_without_javascript', `/g/${board}`, { cookie: member, javaScript: false }]
	] as const satisfies readonly (readonly [string, string, Visit])[];
	const browser = await warmed([`${baseUrl}/`, `${baseUrl}/g/${board}`]);
	try {
		for (const [name, path, visit] of pages as readonly (readonly [string, string, Visit])[]) {
			const runs: Measured[] = [];
			for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, `${baseUrl}${path}`, visit));
			const pick = (key: Exclude<keyof Measured, 'scripts'>) => median(runs.map((r) => r[key]));
			if (name === 'board') boardScripts = runs[0]!.scripts;
			const script = kB(pick('script'));
			const html = kB(pick('html'));
			const tbt = pick('tbt');
			const gzipped = kB(runs[0]!.scripts.reduce((n, path) => n + gzipSync(readFileSync(`.svelte-kit/output/client${path}`)).length, 0));
			const budget = name === 'board' ? BUDGET.boardJavaScript : name === 'board_member' ? BUDGET.signedInBoardJavaScript : undefined;
			figures.push(
				...(visit.javaScript === false
					? []
					: [
							{ bench, metric: `${name}_lcp`, value: pick('lcp'), unit: 'ms', target: '<= 2500 (stretch 1500)', met: pick('lcp') <= 2500 },
							{ bench, metric: `${name}_cls`, value: pick('cls'), unit: '', target: '<= 0.1', met: pick('cls') <= 0.1 }
						]),
				name === 'board_member'
					? { bench, metric: `${name}_total_blocking_time`, value: tbt, unit: 'ms', target: `<= ${BUDGET.signedInBoardBlocking}`, met: tbt <= BUDGET.signedInBoardBlocking }
					: { bench, metric: `${name}_total_blocking_time`, value: tbt, unit: 'ms' },
				{ bench, metric: `${name}_transfer`, value: kB(pick('transfer')), unit: 'kB' },
				...(visit.javaScript === false
					? []
					: [
							{ bench, metric: `${name}_javascript`, value: script, unit: 'kB as sent' },
							// The budgets count gzip (brotli, as Chromium is sent, is smaller): the same files gzipped.
							budget === undefined
								? { bench, metric: `${name}_javascript_gzipped`, value: gzipped, unit: 'kB gz' }
								: { bench, metric: `${name}_javascript_gzipped`, value: gzipped, unit: 'kB gz', target: `<= ${budget}`, met: gzipped <= budget }
						]),
				{ bench, metric: `${name}_html`, value: html, unit: 'kB as sent', target: `<= ${BUDGET.html}`, met: html <= BUDGET.html }
			);
		}
	} finally {
		await browser.close();
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
