import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { countPoolQueries, metricsAccess, metricsText, recordRequest, setRealtimeCounts, startRoundTrip } from './metrics.ts';

const TOKEN = 'a-token-of-at-least-24-characters';

/** The value of one series in the text format, e.g. `db_round_trips_total{kind="sql"}`. */
async function valueOf(series: string): Promise<number> {
	const { body } = await metricsText();
	const line = body.split('\n').find((l) => l.startsWith(`${series} `));
	return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metricsAccess', () => {
	it('without a token: open outside production, absent in production', () => {
		expect(metricsAccess(null, { token: undefined, production: false })).toBe('allowed');
		expect(metricsAccess(`Bearer ${TOKEN}`, { token: undefined, production: false })).toBe('allowed');
		expect(metricsAccess(null, { token: undefined, production: true })).toBe('not_found');
		expect(metricsAccess(`Bearer ${TOKEN}`, { token: undefined, production: true })).toBe('not_found');
	});

	it('with a token: only that bearer token, in production or not', () => {
		for (const production of [true, false]) {
			const settings = { token: TOKEN, production };
			expect(metricsAccess(`Bearer ${TOKEN}`, settings)).toBe('allowed');
			expect(metricsAccess(`bearer ${TOKEN}`, settings)).toBe('allowed');
			expect(metricsAccess(null, settings)).toBe('unauthorized');
			expect(metricsAccess('', settings)).toBe('unauthorized');
			expect(metricsAccess(`Basic ${TOKEN}`, settings)).toBe('unauthorized');
			expect(metricsAccess(TOKEN, settings)).toBe('unauthorized');
			expect(metricsAccess(`Bearer ${TOKEN}x`, settings)).toBe('forbidden');
			expect(metricsAccess(`Bearer ${TOKEN.slice(0, -1)}`, settings)).toBe('forbidden');
			expect(metricsAccess(`Bearer ${TOKEN.toUpperCase()}`, settings)).toBe('forbidden');
			expect(metricsAccess('Bearer x', settings)).toBe('forbidden');
		}
	});
});

describe('metrics', () => {
	it('count requests by method, route and status, with their duration', async () => {
		const series = 'http_requests_total{method="POST",route="/g/[id]",status="303"}';
		const before = await valueOf(series);
		recordRequest('POST', '/g/[id]', 303, 0.02);
		recordRequest('POST', '/g/[id]', 303, 0.2);
		expect(await valueOf(series)).toBe(before + 2);
		expect(await valueOf('http_request_duration_seconds_bucket{le="0.025",method="POST",route="/g/[id]"}')).toBeGreaterThanOrEqual(1);
		// A made-up method does not make a new series.
		recordRequest('BREW', '/', 200, 0.01);
		expect(await valueOf('http_requests_total{method="OTHER",route="/",status="200"}')).toBeGreaterThanOrEqual(1);
		expect((await metricsText()).body).not.toContain('BREW');
	});

	it('report what realtime counts at each scrape', async () => {
		let sockets = 3;
		setRealtimeCounts({ sockets: () => sockets, rooms: () => 2 });
		expect(await valueOf('socketio_connected_sockets')).toBe(3);
		sockets = 5;
		expect(await valueOf('socketio_connected_sockets')).toBe(5);
		expect(await valueOf('socketio_rooms')).toBe(2);
		setRealtimeCounts(undefined);
		expect(await valueOf('socketio_connected_sockets')).toBe(0);
	});

	it("include Node's event-loop lag", async () => {
		const { body, contentType } = await metricsText();
		expect(contentType).toMatch(/^text\/plain/);
		expect(body).toContain('nodejs_eventloop_lag_p99_seconds');
	});

	it('count a round trip once it is over', async () => {
		const before = await valueOf('db_round_trips_total{kind="data_api"}');
		const done = startRoundTrip('data_api');
		expect(await valueOf('db_round_trips_total{kind="data_api"}')).toBe(before);
		done();
		expect(await valueOf('db_round_trips_total{kind="data_api"}')).toBe(before + 1);
	});
});

describe('countPoolQueries', () => {
	/** A stand-in for pg's pool and client: queries answer on the next tick. */
	function fakePool() {
		const pool = new EventEmitter();
		const client = {
			query(...args: unknown[]) {
				const last = args[args.length - 1];
				if (typeof last === 'function') {
					setImmediate(() => (last as (e: null, r: object) => void)(null, { rows: [] }));
					return undefined;
				}
				if (args[0] instanceof EventEmitter) {
					setImmediate(() => (args[0] as EventEmitter).emit('end'));
					return args[0];
				}
				return new Promise((resolve) => setImmediate(() => resolve({ rows: [] })));
			}
		};
		countPoolQueries(pool as unknown as pg.Pool);
		pool.emit('connect', client);
		return client;
	}

	it('counts promise, callback and submittable queries once each, when they end', async () => {
		const client = fakePool();
		const sql = () => valueOf('db_round_trips_total{kind="sql"}');
		const before = await sql();

		const result = await client.query('select 1');
		expect(result).toEqual({ rows: [] });
		expect(await sql()).toBe(before + 1);

		const answered = await new Promise((resolve) => client.query('select $1', [1], (_: unknown, r: unknown) => resolve(r)));
		expect(answered).toEqual({ rows: [] });
		expect(await sql()).toBe(before + 2);

		const cursor = new EventEmitter();
		client.query(cursor);
		expect(await sql()).toBe(before + 2);
		await new Promise((resolve) => cursor.once('end', resolve));
		expect(await sql()).toBe(before + 3);
	});
});
