import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topic } from '../../src/lib/realtime/events.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * Logs, request ids and /metrics of the built app as people run it (`tsx src/server.ts` over
 * build/, NODE_ENV=production): socket.io lives in the server's own copy of the realtime
 * module and /metrics in SvelteKit's bundle, so this checks both report to one registry.
 *
 * Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
const TOKEN = 'observability-test-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let open: ServerProcess;
let closed: ServerProcess;
const dataDirs: string[] = [];

async function start(env: Record<string, string>) {
	const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-obs-'));
	dataDirs.push(dataDir);
	return startServerProcess({ ...inject('stackEnv'), BUURTBORD_DATA_DIR: dataDir, LOAD_DEMO_DATA: 'false', NODE_ENV: 'production', ...env });
}

beforeAll(async () => {
	[open, closed] = await Promise.all([start({ METRICS_TOKEN: TOKEN, LOG_LEVEL: 'debug' }), start({ LOG_LEVEL: 'info' })]);
});

afterAll(async () => {
	await Promise.all([open?.stop(), closed?.stop()]);
	await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })));
});

type LogLine = Record<string, unknown> & { level: string; msg: string };

/** The server's JSON log lines so far (the start-up banner is plain text and skipped). */
function logLines(server: ServerProcess): LogLine[] {
	return server
		.output()
		.split('\n')
		.flatMap((line) => {
			if (!line.startsWith('{')) return [];
			try {
				return [JSON.parse(line) as LogLine];
			} catch {
				return [];
			}
		});
}

/** Waits (up to 10 s) for a log line that matches; lines are written asynchronously. */
async function logLine(server: ServerProcess, matches: (line: LogLine) => boolean): Promise<LogLine> {
	for (let i = 0; i < 200; i++) {
		const found = logLines(server).find(matches);
		if (found) return found;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`no such log line in:\n${server.output().slice(-4000)}`);
}

const metrics = async (server: ServerProcess, authorization?: string) =>
	fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });

/** The value of one series, e.g. `socketio_rooms` or `db_round_trips_total{kind="sql"}`. */
function valueOf(text: string, series: string): number | undefined {
	const line = text.split('\n').find((l) => l.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('request ids and logs', () => {
	it("answers with the proxy's request id and logs the request by route, without the token in its path", async () => {
		const response = await fetch(`${open.url}/feeds/personal/secret-feed-token-9f2c.ics?lang=en`, { headers: { 'x-request-id': 'it-req-1' } });
		await response.body?.cancel();
		expect(response.headers.get('x-request-id')).toBe('it-req-1');
		const line = await logLine(open, (l) => l.requestId === 'it-req-1' && l.msg === 'request');
		expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/feeds/personal/[token].ics', status: response.status });
		expect(typeof line.durationMs).toBe('number');
		expect(open.output()).not.toContain('secret-feed-token-9f2c');
		expect(open.output()).not.toContain('lang=en');
	});

	it('gives a request with an unsafe or missing id a new one', async () => {
		const unsafe = await fetch(`${open.url}/healthz`, { headers: { 'x-request-id': 'x'.repeat(65) } });
		const none = await fetch(`${open.url}/healthz`);
		expect(unsafe.status).toBe(200);
		const ids = [unsafe.headers.get('x-request-id'), none.headers.get('x-request-id')];
		for (const id of ids) {
			expect(id).toMatch(UUID);
			expect(await logLine(open, (l) => l.requestId === id && l.route === '/healthz')).toMatchObject({ status: 200 });
		}
		expect(ids[0]).not.toBe(ids[1]);
	});
});

describe('sockets', () => {
	let socket: Socket;
	afterAll(() => socket?.disconnect());

	it("tags a socket's log lines with its handshake's request id, and counts it in /metrics", async () => {
		socket = connect(open.url, {
			path: '/socket.io',
			transports: ['websocket'],
			extraHeaders: { 'x-request-id': 'it-sock-1' },
			reconnection: false
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('connect_error', reject);
		});
		const watched = topic.gathering('00000000-0000-4000-8000-0000000b0b01');
		const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('watch', { topic: watched }, resolve));
		expect(ack).toEqual({ ok: true });

		const connected = await logLine(open, (l) => l.msg === 'socket connected' && l.requestId === 'it-sock-1');
		expect(connected.socketId).toBe(socket.id);
		const watching = await logLine(open, (l) => l.msg === 'socket watches' && l.socketId === socket.id);
		expect(watching).toMatchObject({ requestId: 'it-sock-1', topic: watched });

		const text = await (await metrics(open, `Bearer ${TOKEN}`)).text();
		expect(valueOf(text, 'socketio_connected_sockets')).toBeGreaterThanOrEqual(1);
		expect(valueOf(text, 'socketio_rooms')).toBeGreaterThanOrEqual(1);

		const id = socket.id;
		socket.disconnect();
		const gone = await logLine(open, (l) => l.msg === 'socket disconnected' && l.socketId === id);
		expect(gone).toMatchObject({ requestId: 'it-sock-1', reason: 'client namespace disconnect' });
	});

	it('logs refused socket input with the socket it came from', async () => {
		const bad = connect(open.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
		await new Promise<void>((resolve) => bad.once('connect', resolve));
		const ack = await new Promise<{ ok: boolean }>((resolve) => bad.emit('watch', { topic: 'member:everyone' }, resolve));
		expect(ack.ok).toBe(false);
		const line = await logLine(open, (l) => l.msg === 'socket input refused' && l.socketId === bad.id);
		expect(line).toMatchObject({ level: 'warn', event: 'watch' });
		expect(line.requestId).toMatch(UUID);
		bad.disconnect();
	});
});

describe('/metrics', () => {
	it('is absent in production without METRICS_TOKEN', async () => {
		expect((await metrics(closed)).status).toBe(404);
		expect((await metrics(closed, `Bearer ${TOKEN}`)).status).toBe(404);
	});

	it('with METRICS_TOKEN, answers only its bearer', async () => {
		expect((await metrics(open)).status).toBe(401);
		expect((await metrics(open, `Bearer ${TOKEN}-wrong`)).status).toBe(403);
		expect((await metrics(open, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)).status).toBe(401);
		expect((await metrics(open, `Bearer ${TOKEN}`)).status).toBe(200);
	});

	it('counts requests, their latency and database round trips of both kinds, with Node’s event-loop lag', async () => {
		// The agenda reads through supabase-js; the health check also pings PostgreSQL directly.
		for (const path of ['/', '/healthz', '/healthz']) await (await fetch(`${open.url}${path}`)).body?.cancel();
		const response = await metrics(open, `Bearer ${TOKEN}`);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		for (const name of [
			'http_requests_total',
			'http_request_duration_seconds_bucket',
			'socketio_connected_sockets',
			'socketio_rooms',
			'db_round_trips_total',
			'db_round_trip_duration_seconds_bucket',
			'nodejs_eventloop_lag_p99_seconds'
		]) {
			expect(text, name).toContain(`\n${name}`);
		}
		expect(valueOf(text, 'http_requests_total{method="GET",route="/healthz",status="200"}')).toBeGreaterThanOrEqual(2);
		expect(valueOf(text, 'http_request_duration_seconds_count{method="GET",route="/healthz"}')).toBeGreaterThanOrEqual(2);
		expect(valueOf(text, 'db_round_trips_total{kind="data_api"}')).toBeGreaterThan(0);
		expect(valueOf(text, 'db_round_trips_total{kind="sql"}')).toBeGreaterThan(0);
		// Paths with tokens never become labels.
		expect(text).not.toContain('secret-feed-token');
	});
});
