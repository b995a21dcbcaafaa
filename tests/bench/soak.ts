/**
 * `npm run soak [-- --boards 1000 --viewers 10 --rate 50 --minutes 10 --bare-seconds 30 --server-heap-mib 0]`
 * (or SOAK_BOARDS, SOAK_VIEWERS, SOAK_RATE, SOAK_MINUTES, SOAK_BARE_SECONDS, SOAK_SERVER_HEAP_MIB):
 * load held over time on the embedded stack.
 *
 * `boards` open boards (sockets, in their own process) watch `boards / viewers` gatherings,
 * `viewers` each, while members sign up at `rate` per second through the full HTTP path (form
 * post → SvelteKit → PostgREST → respond → the board announced), spread round-robin
 * over the gatherings. Fan-out is measured as in board-fanout.ts: from PostgreSQL's commit
 * time of each sign-up to its arrival on every open board of that gathering. Every minute it
 * prints the sign-ups, errors, fan-out p50/p99, the server's resident memory and CPU, and from
 * the server's /metrics (read with METRICS_TOKEN) the event-loop lag p99 and the heap left
 * after the last full collection.
 * Then, unless `bare-seconds` is 0, a bare socket.io server gets the same shape and rate for
 * comparison. Figures are appended to bench-results/latest.jsonl.
 *
 * Targets: no errors, no missed deliveries, fan-out p99 under 100 ms (or within 2× bare
 * socket.io) in every minute, memory flat: the heap left after a full collection (else the
 * resident memory) grown ≤ 10% from minute 1 to the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { benchActivity, benchDatabase, withCommitTimestamps } from './bench-database.ts';
import { databaseClockOffset, joinPeople, startBareServer } from './board-fanout.ts';
import { record, type Figure } from './record.ts';
import { clock, cpuMs, fileLimits, percentile, residentKiB, serverNodePid, startSocketFleet, type SocketFleet } from './socket-fleet.ts';

const optionsSchema = z.object({
	boards: z.coerce.number().int().min(10).max(20_000).default(1000),
	viewers: z.coerce.number().int().min(1).max(1000).default(10),
	rate: z.coerce.number().positive().max(500).default(50),
	minutes: z.coerce.number().positive().max(240).default(10),
	bareSeconds: z.coerce.number().int().min(0).max(600).default(30),
	// The server's V8 heap limit (--max-old-space-size), as production would set it; 0: Node's
	// default, which on a roomy machine lets the heap (and so RSS) grow for minutes between
	// full collections.
	serverHeapMib: z.coerce.number().int().min(0).max(65_536).default(0)
});

function readOptions() {
	const raw: Record<string, string | undefined> = {
		boards: process.env.SOAK_BOARDS,
		viewers: process.env.SOAK_VIEWERS,
		rate: process.env.SOAK_RATE,
		minutes: process.env.SOAK_MINUTES,
		bareSeconds: process.env.SOAK_BARE_SECONDS,
		serverHeapMib: process.env.SOAK_SERVER_HEAP_MIB
	};
	const args = process.argv.slice(2);
	for (let i = 0; i < args.length; i++) {
		const name = /^--([a-z-]+)$/.exec(args[i]!)?.[1]?.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
		if (!name || !(name in raw) || args[i + 1] === undefined) throw new Error(`unknown or incomplete option ${args[i]} (see the top of tests/bench/soak.ts)`);
		raw[name] = args[++i];
	}
	const parsed = optionsSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
	if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
	if (parsed.data.boards % parsed.data.viewers !== 0) throw new Error('boards must be a multiple of viewers');
	return parsed.data;
}

const TARGET_P99_MS = 100;
const FLAT_GROWTH_PCT = 10;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const mib = (kib: number) => kib / 1024;

/**
 * From the server's /metrics: event-loop lag p99 in ms since the last read (prom-client resets
 * its histogram on every scrape), and the heap in use after the last major collection in KiB
 * (0 until one ran); null without /metrics.
 */
async function serverMetrics(baseUrl: string, token: string): Promise<{ lagP99: number | null; liveHeapKiB: number | null }> {
	const answer = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
	if (!answer?.ok) return { lagP99: null, liveHeapKiB: null };
	const text = await answer.text();
	const read = (name: string) => {
		const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(text);
		return match ? Number(match[1]) : null;
	};
	const lag = read('nodejs_eventloop_lag_p99_seconds');
	const heap = read('nodejs_heap_used_after_major_gc_bytes');
	return { lagP99: lag === null ? null : lag * 1000, liveHeapKiB: heap ? heap / 1024 : null };
}

/**
 * Matches arrivals to commits. On one gathering commits are serialised by its row lock, so
 * its k-th commit made the board with k going, and an arrival of `going = k` on a socket
 * means that socket has seen sign-up k. Arrivals of a gathering wait while one of its
 * sign-ups is still being dated, so the k-th commit is known for sure when they are matched.
 */
class FanoutBook {
	commits: number[][];
	inFlight: number[];
	delivered = 0;
	private waiting: Record<number, number[]>[];
	constructor(gatherings: number) {
		this.commits = Array.from({ length: gatherings }, () => []);
		this.inFlight = Array(gatherings).fill(0);
		this.waiting = Array.from({ length: gatherings }, () => ({}));
	}
	commit(gathering: number, at: number) {
		const list = this.commits[gathering]!;
		let i = list.length;
		while (i > 0 && list[i - 1]! > at) i--;
		list.splice(i, 0, at);
	}
	/** Adds drained arrivals and returns the latencies (ms) that can be matched now. */
	match(drained: Record<string, Record<number, number[]>>, prefix: string): number[] {
		for (const [name, arrivals] of Object.entries(drained)) {
			const waiting = this.waiting[Number(name.slice(prefix.length))]!;
			for (const [going, times] of Object.entries(arrivals)) (waiting[Number(going)] ??= []).push(...times);
		}
		const latencies: number[] = [];
		this.waiting.forEach((waiting, g) => {
			if (this.inFlight[g]! > 0) return;
			for (const [going, times] of Object.entries(waiting)) {
				// A socket's first board counts as having seen every earlier state, from 0 going.
				if (going === '0') {
					delete waiting[0];
					continue;
				}
				const committed = this.commits[g]![Number(going) - 1];
				if (committed === undefined) continue;
				for (const at of times) latencies.push(at - committed);
				this.delivered += times.length;
				delete waiting[Number(going)];
			}
		});
		return latencies;
	}
}

const options = readOptions();
const gatherings = options.boards / options.viewers;
const total = Math.round(options.rate * options.minutes * 60);
const members = Math.ceil(total / gatherings);
const limits = fileLimits();
console.log(`${availableParallelism()} cores; open files: soft ${limits.soft}, hard ${limits.hard}`);
console.log(
	`Soak: ${options.boards} open boards (${gatherings} gatherings × ${options.viewers}), ${options.rate} sign-ups/s for ${options.minutes} min ` +
		`(${total} sign-ups by ${members} members); targets: 0 errors, p99 ≤ ${TARGET_P99_MS} ms (or ≤ 2× bare), memory growth ≤ ${FLAT_GROWTH_PCT}%` +
		(options.serverHeapMib ? `; server heap limit ${options.serverHeapMib} MiB` : '')
);

let interrupted = false;
let server: ServerProcess | undefined;
let fleet: SocketFleet | undefined;
const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-soak-'));
const cleanUp = async () => {
	await fleet?.stop().catch(() => undefined);
	await server?.stop().catch(() => undefined);
	await rm(dataDir, { recursive: true, force: true });
};
const stopFleet = () => {
	try {
		if (fleet) process.kill(fleet.pid);
	} catch {
		// already gone
	}
};
let interruptedAt = 0;
process.on('SIGINT', () => {
	// A terminal's Ctrl-C may arrive twice at once (from the terminal and relayed by npm).
	if (interrupted && Date.now() - interruptedAt < 1000) return;
	if (interrupted) {
		// A second Ctrl-C: no more waiting, but the server still stops its database itself.
		server?.child.kill('SIGTERM');
		stopFleet();
		process.exit(130);
	}
	interrupted = true;
	interruptedAt = Date.now();
	console.log('\nStopping after this moment; the figures so far follow (Ctrl-C again to leave at once).');
});
process.on('SIGTERM', () => (interrupted = true));
process.on('exit', () => {
	if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
	stopFleet();
});

const token = randomBytes(24).toString('hex');
const start = () =>
	startServerProcess({
		BUURTBORD_DATA_DIR: dataDir,
		NODE_ENV: 'production',
		ADDRESS_HEADER: 'x-forwarded-for',
		METRICS_TOKEN: token,
		...(options.serverHeapMib ? { NODE_OPTIONS: `--max-old-space-size=${options.serverHeapMib}` } : {})
	});
let failed = false;
try {
	server = await start();
	// Fan-out is dated by PostgreSQL's commit time (a setting that needs a restart).
	server = await withCommitTimestamps(dataDir, server, start);
	// The restarted database listens on a new port.
	const { connection } = await benchDatabase(dataDir);
	const baseUrl = server.url;
	const serverPid = await serverNodePid(server.child.pid!);
	const pool = new pg.Pool({ ...connection, max: 6 });
	// Ctrl-C in a terminal reaches the server too, which then stops its database under us.
	pool.on('error', () => undefined);

	// Open-ended gatherings (extra dates, so refreshing the series never removes them).
	const { activityId, neighbourhoodId } = await benchActivity(pool, 'Buurtfeest');
	const { rows: created } = await pool.query<{ id: string }>(
		`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
		 select $1, t, t, t + interval '3 hours', true
		 from generate_series(1, $2::int) i, lateral (select date_trunc('hour', now()) + interval '3 days' + make_interval(mins => i) as t) x
		 returning id`,
		[activityId, gatherings]
	);
	const gatheringIds = created.map((r) => r.id);
	console.log(`  ${members} members join through invite links …`);
	const cookies = await joinPeople(pool, baseUrl, neighbourhoodId, members);
	const { rows: memberRows } = await pool.query<{ id: string }>(`select id from member where display_name like 'Fan %' order by display_name limit $1`, [members]);
	const memberIds = memberRows.map((r) => r.id);

	console.log(`  ${options.boards} boards open …`);
	fleet = await startSocketFleet(options.boards + (options.bareSeconds ? options.boards : 0));
	for (const [g, id] of gatheringIds.entries()) {
		const opened = await fleet.send({ cmd: 'connect', fleet: `app${g}`, url: baseUrl, count: options.viewers, topic: `gathering:${id}`, watch: true });
		if (opened.connected !== options.viewers) throw new Error(`gathering ${g}: ${opened.connected} of ${options.viewers} boards connected`);
	}
	await sleep(2000);

	const book = new FanoutBook(gatherings);
	let pgOffset = await databaseClockOffset(pool);
	let clientOffset = await fleet.clockOffset();
	await serverMetrics(baseUrl, token); // starts the lag histogram afresh

	interface Minute {
		minute: number;
		signUps: number;
		errors: number;
		p50: number;
		p99: number;
		rssKiB: number;
		cpuPct: number;
		lagP99: number | null;
		liveHeapKiB: number | null;
		answerP99: number;
		disconnected: number;
	}
	const minutes: Minute[] = [];
	let done = 0;
	let errors = 0;
	let errorsShown = 0;
	const answerTimes: number[] = [];
	let answersBefore = 0;
	const all: number[] = [];

	const signUp = async (i: number) => {
		const g = i % gatherings;
		const member = Math.floor(i / gatherings);
		book.inFlight[g]!++;
		const sent = clock();
		try {
			const response = await fetch(`${baseUrl}/g/${gatheringIds[g]}?/respond`, {
				method: 'POST',
				headers: { origin: baseUrl, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies[member]! },
				body: new URLSearchParams({ status: 'going', guests: '0' })
			});
			const text = await response.text();
			if (!text.includes('"type":"success"')) throw new Error(`answer ${response.status}: ${text.slice(0, 120)}`);
			answerTimes.push(clock() - sent);
		} catch (error) {
			errors++;
			if (errorsShown++ < 5) console.log(`  sign-up ${i} failed: ${(error as Error).message}`);
		} finally {
			// Dated whether or not the answer arrived: what counts is whether it committed.
			const { rows } = await pool
				.query<{ at: number }>(
					`select extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as at from attendance where gathering_id = $1 and member_id = $2`,
					[gatheringIds[g], memberIds[member]]
				)
				.catch(() => ({ rows: [] as { at: number }[] }));
			if (rows[0]) book.commit(g, Number(rows[0].at) - pgOffset + clientOffset);
			book.inFlight[g]!--;
			done++;
		}
	};

	let cpuBefore = await cpuMs(serverPid);
	let errorsBefore = 0;
	let doneBefore = 0;
	let minuteStart = clock();
	const closeMinute = async () => {
		const drained = await fleet!.send({ cmd: 'drain', prefix: 'app' });
		const latencies = book.match(drained.drained!, 'app').sort((a, b) => a - b);
		all.push(...latencies);
		const now = clock();
		const cpu = await cpuMs(serverPid);
		const minute: Minute = {
			minute: minutes.length + 1,
			signUps: done - doneBefore,
			errors: errors - errorsBefore,
			p50: percentile(latencies, 50),
			p99: percentile(latencies, 99),
			rssKiB: await residentKiB(serverPid),
			cpuPct: ((cpu - cpuBefore) / (now - minuteStart)) * 100,
			...(await serverMetrics(baseUrl, token)),
			answerP99: percentile(answerTimes.slice(answersBefore).sort((a, b) => a - b), 99),
			disconnected: drained.missed ?? 0
		};
		minutes.push(minute);
		[cpuBefore, errorsBefore, doneBefore, minuteStart, answersBefore] = [cpu, errors, done, now, answerTimes.length];
		console.log(
			`  min ${String(minute.minute).padStart(2)}  sign-ups ${String(minute.signUps).padStart(5)}  errors ${minute.errors}  ` +
				`fan-out p50 ${minute.p50.toFixed(1)} ms p99 ${minute.p99.toFixed(1)} ms  answer p99 ${minute.answerP99.toFixed(0)} ms  RSS ${mib(minute.rssKiB).toFixed(1)} MiB  ` +
				`live heap ${minute.liveHeapKiB === null ? 'n/a' : `${mib(minute.liveHeapKiB).toFixed(1)} MiB`}  ` +
				`CPU ${minute.cpuPct.toFixed(0)}%  lag p99: ${minute.lagP99 === null ? 'n/a' : `${minute.lagP99.toFixed(1)} ms`}` +
				(minute.disconnected ? `  disconnected boards ${minute.disconnected}` : '')
		);
		// The clocks are checked again each minute, for the next minute's commits.
		pgOffset = await databaseClockOffset(pool);
		clientOffset = await fleet!.clockOffset();
	};

	// Open loop: sign-ups start on time whether or not earlier ones have finished.
	console.log(`  soaking …`);
	const began = clock();
	const running = new Set<Promise<void>>();
	let nextMinute = began + 60_000;
	for (let i = 0; i < total && !interrupted; i++) {
		const due = began + (i * 1000) / options.rate;
		while (clock() < due && !interrupted) {
			if (clock() >= nextMinute) {
				nextMinute += 60_000;
				await closeMinute().catch((error: unknown) => {
					if (!interrupted) throw error;
				});
			}
			await sleep(Math.min(due - clock(), nextMinute - clock(), 50));
		}
		if (interrupted) break;
		const one = signUp(i);
		running.add(one);
		void one.finally(() => running.delete(one));
	}
	await Promise.all(running);
	const loadMinutes = (clock() - began) / 60_000;
	if (!interrupted) await sleep(3000);
	await closeMinute().catch(() => console.log('  (the last minute could not be measured: the server or the boards had stopped)'));
	if (!minutes.length) throw new Error('stopped before a minute was measured');
	const lastMinute = minutes.at(-1)!;
	const delivered = book.delivered;
	const committed = book.commits.reduce((sum, list) => sum + list.length, 0);
	const missing = committed * options.viewers - delivered;
	await pool.end().catch(() => undefined);

	// Bare socket.io with the same shape and rate, as the floor.
	let bareP99: number | null = null;
	if (options.bareSeconds && !interrupted) {
		console.log(`  bare socket.io, same shape and rate, for ${options.bareSeconds} s …`);
		const bare = await startBareServer();
		try {
			for (let g = 0; g < gatherings; g++) {
				await fleet.send({ cmd: 'connect', fleet: `bare${g}`, url: bare.url, count: options.viewers, topic: `bare:${g}`, watch: true });
			}
			await sleep(2000);
			const offset = await fleet.clockOffset();
			const bareBook = new FanoutBook(gatherings);
			const count = Math.round(options.rate * options.bareSeconds);
			const bareStart = clock();
			for (let i = 0; i < count && !interrupted; i++) {
				const wait = bareStart + (i * 1000) / options.rate - clock();
				if (wait > 0) await sleep(wait);
				const g = i % gatherings;
				const going = bareBook.commits[g]!.length + 1;
				bareBook.commit(g, clock() + offset);
				bare.io.to(`bare:${g}`).emit('changed', { topic: `gathering:${g}`, payload: { going, people_going: going } });
			}
			await sleep(2000);
			const latencies = bareBook.match((await fleet.send({ cmd: 'drain', prefix: 'bare' })).drained!, 'bare').sort((a, b) => a - b);
			bareP99 = percentile(latencies, 99);
			console.log(`  bare socket.io: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${bareP99.toFixed(1)} ms`);
		} finally {
			await bare.stop();
		}
	}

	// Memory from the end of minute 1 (sockets open, caches warm) to the end.
	const rssFirst = minutes[0]!.rssKiB;
	const rssGrowth = lastMinute.rssKiB - rssFirst;
	const rssGrowthPct = (rssGrowth / rssFirst) * 100;
	// Flat memory is judged on the heap still in use after a full collection (what grows when
	// something leaks), from the first minute that had one to the end; RSS is stated beside it.
	const heaps = minutes.map((m) => m.liveHeapKiB).filter((heap): heap is number => heap !== null);
	const heapGrowthPct = heaps.length >= 2 ? ((heaps.at(-1)! - heaps[0]!) / heaps[0]!) * 100 : null;
	const worst = minutes.reduce((a, b) => (b.p99 > a.p99 ? b : a));
	const lags = minutes.map((m) => m.lagP99).filter((lag): lag is number => lag !== null);
	const all99 = percentile(all.sort((a, b) => a - b), 99);
	const p99Limit = Math.max(TARGET_P99_MS, bareP99 === null ? 0 : 2 * bareP99);
	const checks = {
		errors: errors === 0,
		missing: missing === 0,
		p99: worst.p99 <= p99Limit,
		memory: (heapGrowthPct ?? rssGrowthPct) <= FLAT_GROWTH_PCT,
		complete: !interrupted
	};
	console.log(
		[
			'',
			`  sign-ups: ${done} of ${total} in ${loadMinutes.toFixed(1)} min; errors ${errors}; deliveries ${delivered}, missing ${missing}`,
			`  fan-out over the whole run: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${all99.toFixed(1)} ms; worst minute p99 ${worst.p99.toFixed(1)} ms (minute ${worst.minute}); limit ${p99Limit.toFixed(0)} ms`,
			`  sign-up answer p50 ${percentile(answerTimes.sort((a, b) => a - b), 50).toFixed(0)} ms, p99 ${percentile(answerTimes, 99).toFixed(0)} ms`,
			`  RSS: ${mib(rssFirst).toFixed(1)} MiB after minute 1 → ${mib(lastMinute.rssKiB).toFixed(1)} MiB at the end (${rssGrowth >= 0 ? '+' : ''}${mib(rssGrowth).toFixed(1)} MiB, ${rssGrowthPct.toFixed(1)}%)`,
			`  live heap after a full collection: ${heapGrowthPct === null ? 'n/a (fewer than two readings; memory judged on RSS)' : `${mib(heaps[0]!).toFixed(1)} → ${mib(heaps.at(-1)!).toFixed(1)} MiB (${heapGrowthPct >= 0 ? '+' : ''}${heapGrowthPct.toFixed(1)}%)`}`,
			`  event-loop lag p99: ${lags.length ? `worst minute ${Math.max(...lags).toFixed(1)} ms` : 'n/a (no /metrics)'}`,
			`  ${Object.entries(checks)
				.map(([name, ok]) => `${name} ${ok ? 'pass' : 'FAIL'}`)
				.join(', ')}`,
			''
		].join('\n')
	);
	const bench = 'soak';
	const figures: Figure[] = [
		{ bench, metric: 'boards', value: options.boards, unit: 'sockets' },
		{ bench, metric: 'gatherings', value: gatherings, unit: 'gatherings' },
		{ bench, metric: 'rate', value: options.rate, unit: 'sign-ups/s' },
		{ bench, metric: 'minutes', value: minutes.length, unit: 'min' },
		{ bench, metric: 'sign_ups', value: done, unit: 'sign-ups' },
		{ bench, metric: 'errors', value: errors, unit: 'errors', target: '0' },
		{ bench, metric: 'missing', value: missing, unit: 'deliveries', target: '0' },
		{ bench, metric: 'p50', value: percentile(all, 50), unit: 'ms' },
		{ bench, metric: 'p99', value: all99, unit: 'ms' },
		{ bench, metric: 'worst_minute_p99', value: worst.p99, unit: 'ms', target: `<= ${p99Limit.toFixed(0)}` },
		{ bench, metric: 'rss_first_minute', value: mib(rssFirst), unit: 'MiB' },
		{ bench, metric: 'rss_end', value: mib(lastMinute.rssKiB), unit: 'MiB' },
		{ bench, metric: 'rss_growth', value: rssGrowthPct, unit: '%', ...(heapGrowthPct === null ? { target: `<= ${FLAT_GROWTH_PCT}` } : {}) },
		...(heapGrowthPct === null ? [] : [{ bench, metric: 'live_heap_growth', value: heapGrowthPct, unit: '%', target: `<= ${FLAT_GROWTH_PCT}` }]),
		...(lags.length ? [{ bench, metric: 'event_loop_lag_p99_worst', value: Math.max(...lags), unit: 'ms' }] : []),
		...(bareP99 === null ? [] : [{ bench, metric: 'bare_p99', value: bareP99, unit: 'ms' }])
	];
	await record(figures);
	failed = !Object.values(checks).every(Boolean);
	console.log('\nAppended to bench-results/latest.jsonl');
} catch (error) {
	failed = true;
	console.error(`  failed: ${(error as Error).message}`);
} finally {
	await cleanUp();
}
process.exit(failed ? 1 : 0);
