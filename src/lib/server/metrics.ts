import type pg from 'pg';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { safeEqual } from './security/constant-time.ts';

/**
 * The process's metrics, in Prometheus's text format at `GET /metrics`: requests and their
 * latency by route, connected sockets and watched topics, database round trips (supabase-js
 * through the Data API, and direct SQL), and Node's own (event-loop lag, memory, CPU).
 */
export type RoundTripKind = 'data_api' | 'sql';

/** What realtime reports at each scrape (set by `attach`). */
export interface RealtimeCounts {
	sockets(): number;
	rooms(): number;
}

interface Metrics {
	registry: Registry;
	httpRequests: Counter<'method' | 'route' | 'status'>;
	httpDuration: Histogram<'method' | 'route'>;
	roundTrips: Counter<'kind'>;
	roundTripDuration: Histogram<'kind'>;
	realtime: RealtimeCounts | undefined;
	waiting: (() => number) | undefined;
}

/**
 * One registry per process, kept on globalThis: the production server (through tsx) and
 * SvelteKit's server bundle each load their own copy of this module (and maybe of
 * prom-client), yet sockets counted by one must show in the `/metrics` the other serves.
 */
const SHARED = Symbol.for('buurtbord.metrics');

function create(): Metrics {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });
	const registers = [registry];
	const metrics: Metrics = {
		registry,
		httpRequests: new Counter({
			name: 'http_requests_total',
			help: 'HTTP requests answered, by method, SvelteKit route id and status',
			labelNames: ['method', 'route', 'status'],
			registers
		}),
		httpDuration: new Histogram({
			name: 'http_request_duration_seconds',
			help: 'Time from a request arriving to its response headers, by method and SvelteKit route id',
			labelNames: ['method', 'route'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers
		}),
		roundTrips: new Counter({
			name: 'db_round_trips_total',
			help: 'Round trips to the database: data_api (supabase-js to the Data API) and sql (direct PostgreSQL queries)',
			labelNames: ['kind'],
			registers
		}),
		roundTripDuration: new Histogram({
			name: 'db_round_trip_duration_seconds',
			help: 'Duration of database round trips (data_api: until the response headers), by kind',
			labelNames: ['kind'],
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers
		}),
		realtime: undefined,
		waiting: undefined
	};
	// Resident memory follows V8's lazy collection (on a roomy machine it grows for minutes
	// before a full collection); the heap still in use right after a major collection is what
	// grows when something leaks.
	const liveHeap = new Gauge({
		name: 'nodejs_heap_used_after_major_gc_bytes',
		help: 'V8 heap in use right after the last major (mark-compact) garbage collection',
		registers
	});
	new PerformanceObserver((list) => {
		if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
			liveHeap.set(process.memoryUsage().heapUsed);
		}
	}).observe({ entryTypes: ['gc'] });
	new Gauge({
		name: 'socketio_connected_sockets',
		help: 'Sockets connected to this process',
		registers,
		collect() {
			this.set(metrics.realtime?.sockets() ?? 0);
		}
	});
	new Gauge({
		name: 'socketio_rooms',
		help: 'Topics (boards, agendas) watched by at least one socket on this process',
		registers,
		collect() {
			this.set(metrics.realtime?.rooms() ?? 0);
		}
	});
	new Gauge({
		name: 'http_requests_waiting',
		help: 'Requests waiting for their turn to be answered (admission.ts)',
		registers,
		collect() {
			this.set(metrics.waiting?.() ?? 0);
		}
	});
	return metrics;
}

const metrics: Metrics = ((globalThis as Record<symbol, Metrics>)[SHARED] ??= create());

export function setWaitingCount(count: () => number) {
	metrics.waiting = count;
}

export function setRealtimeCounts(counts: RealtimeCounts | undefined) {
	metrics.realtime = counts;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One answered request; `route` is a route id (never a raw path: paths carry tokens). */
export function recordRequest(method: string, route: string, status: number, seconds: number) {
	// Labels come from a small fixed set, so a client cannot make up new series.
	const m = METHODS.has(method) ? method : 'OTHER';
	metrics.httpRequests.inc({ method: m, route, status: String(status) });
	metrics.httpDuration.observe({ method: m, route }, seconds);
}

/** Starts timing one database round trip; call the result once it is over. */
export function startRoundTrip(kind: RoundTripKind): () => void {
	const end = metrics.roundTripDuration.startTimer({ kind });
	return () => {
		end();
		metrics.roundTrips.inc({ kind });
	};
}

/** The `fetch` supabase-js uses: every Data API request is one round trip. */
export const countedFetch: typeof fetch = async (input, init) => {
	const done = startRoundTrip('data_api');
	try {
		return await fetch(input, init);
	} finally {
		done();
	}
};

type Query = (...args: unknown[]) => unknown;

/**
 * Counts every query of every connection the pool opens, however it is called: with a
 * callback (as the pool's own `query` does), as a promise, or as a submittable (cursor).
 */
export function countPoolQueries(pool: pg.Pool) {
	pool.on('connect', (client) => {
		const original = client.query as unknown as Query;
		(client as unknown as { query: Query }).query = function (this: unknown, ...args: unknown[]) {
			const done = once(startRoundTrip('sql'));
			const last = args.length - 1;
			const callback = args[last];
			if (typeof callback === 'function') {
				args[last] = function (this: unknown, ...results: unknown[]) {
					done();
					return (callback as Query).apply(this, results);
				};
			}
			const result = original.apply(this, args);
			if (result && typeof (result as Promise<unknown>).then === 'function') {
				(result as Promise<unknown>).then(done, done);
			} else if (typeof callback !== 'function') {
				const submitted = args[0] as { once?: (event: string, listener: () => void) => void };
				if (typeof submitted?.once === 'function') {
					submitted.once('end', done);
					submitted.once('error', done);
				} else done();
			}
			return result;
		};
	});
}

function once(fn: () => void): () => void {
	let called = false;
	return () => {
		if (called) return;
		called = true;
		fn();
	};
}

/** The text `/metrics` serves, and its content type. */
export async function metricsText(): Promise<{ body: string; contentType: string }> {
	return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}

export type MetricsAccess = 'allowed' | 'not_found' | 'unauthorized' | 'forbidden';

/**
 * Who may read `/metrics`. With METRICS_TOKEN set: only `Authorization: Bearer <token>`
 * (compared in constant time). Without it: anyone outside production (development, tests),
 * nobody in production, where the endpoint then looks absent.
 */
export function metricsAccess(authorization: string | null, settings: { token: string | undefined; production: boolean }): MetricsAccess {
	if (!settings.token) return settings.production ? 'not_found' : 'allowed';
	if (!authorization) return 'unauthorized';
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
	if (!match) return 'unauthorized';
	return safeEqual(match[1]!, settings.token) ? 'allowed' : 'forbidden';
}
