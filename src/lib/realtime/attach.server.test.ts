import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topic } from './events.ts';
import { metricsText } from '../server/metrics.ts';
import { attach, limits, publish, realtimeServer, setAuthenticator } from './attach.server.ts';

/** The real socket.io server on a real HTTP server, with real clients over loopback. */
let http: HttpServer;
let url: string;
const sockets: Socket[] = [];
const gathering = '00000000-0000-4000-8000-00000000abcd';

function client(headers: Record<string, string> = {}): Promise<Socket> {
	const socket = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: headers, reconnection: false });
	sockets.push(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

const watch = (socket: Socket, payload: unknown) =>
	new Promise<{ ok: boolean }>((resolve) => socket.emit('watch', payload, (reply: { ok: boolean }) => resolve(reply)));

const nextEvent = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

const disconnected = (socket: Socket) =>
	new Promise<void>((resolve) => (socket.disconnected ? resolve() : socket.once('disconnect', () => resolve())));

beforeAll(async () => {
	http = createServer();
	attach(http);
	setAuthenticator(async (headers) => (headers.cookie === 'session=ayla' ? 'member-ayla' : null));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
	sockets.forEach((s) => s.disconnect());
	// Also the keep-alive connections of the plain polling requests.
	http.closeAllConnections();
	await new Promise((resolve) => http.close(resolve));
});

describe('realtime', () => {
	it('delivers a published change to watchers of that topic only, with presence counts', async () => {
		const [a, b, other] = await Promise.all([client(), client(), client()]);
		expect(await watch(a, { topic: topic.gathering(gathering) })).toEqual({ ok: true });
		const presence = nextEvent<{ looking: number }>(a, 'presence');
		expect(await watch(b, { topic: topic.gathering(gathering) })).toEqual({ ok: true });
		expect((await presence).looking).toBe(2);
		await watch(other, { topic: topic.gathering('00000000-0000-4000-8000-00000000ffff') });

		let otherHeard = false;
		other.on('changed', () => (otherHeard = true));
		const [gotA, gotB] = [nextEvent<{ payload: unknown }>(a, 'changed'), nextEvent<{ payload: unknown }>(b, 'changed')];
		publish(topic.gathering(gathering), { going: 3 });
		expect((await gotA).payload).toEqual({ going: 3 });
		expect((await gotB).payload).toEqual({ going: 3 });
		await new Promise((r) => setTimeout(r, 50));
		expect(otherHeard).toBe(false);
	});

	it('refuses malformed watch requests and disconnects a client that keeps sending them', async () => {
		const socket = await client();
		expect(await watch(socket, { topic: 'member:everyone' })).toEqual({ ok: false, error: 'invalid_request' });
		expect(await watch(socket, '<script>')).toEqual({ ok: false, error: 'invalid_request' });
		for (let i = 2; i < limits.malformed; i++) socket.emit('watch', { topic: 42 }, () => {});
		await disconnected(socket);
		expect(socket.connected).toBe(false);
	});

	it('disconnects a flooding client while a calm one keeps receiving', async () => {
		const [flood, calm] = await Promise.all([client(), client()]);
		await watch(calm, { topic: topic.gathering(gathering) });
		for (let i = 0; i < limits.eventsPerSecond * 3; i++) flood.emit('unwatch', { topic: topic.gathering(gathering) });
		await disconnected(flood);
		const got = nextEvent<{ payload: unknown }>(calm, 'changed');
		publish(topic.gathering(gathering), { still: 'here' });
		expect((await got).payload).toEqual({ still: 'here' });
		expect(calm.connected).toBe(true);
	});

	it('knows the member behind a socket from the handshake', async () => {
		const signedIn = await client({ cookie: 'session=ayla' });
		const anonymous = await client();
		const found = await realtimeServer()!.fetchSockets();
		const byId = new Map(found.map((s) => [s.id, s.data.memberId]));
		expect(byId.get(signedIn.id!)).toBe('member-ayla');
		expect(byId.get(anonymous.id!)).toBeNull();
	});

	it("keeps each socket's handshake request id, and answers the handshake with it", async () => {
		const proxied = await client({ 'x-request-id': 'edge-7f3a' });
		const unsafe = await client({ 'x-request-id': 'not safe; at all' });
		const byId = new Map((await realtimeServer()!.fetchSockets()).map((s) => [s.id, s.data.requestId]));
		expect(byId.get(proxied.id!)).toBe('edge-7f3a');
		expect(byId.get(unsafe.id!)).toMatch(/^[0-9a-f-]{36}$/);

		const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-request-id': 'poll-1' } });
		expect(polling.headers.get('x-request-id')).toBe('poll-1');
		const fresh = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
		expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('reports connected sockets and watched topics to /metrics', async () => {
		const gauge = async (name: string) => Number((await metricsText()).body.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
		const settled = async (name: string, expected: number) => {
			for (let i = 0; i < 100 && (await gauge(name)) !== expected; i++) await new Promise((r) => setTimeout(r, 20));
			return gauge(name);
		};
		const [sockets, rooms] = [await gauge('socketio_connected_sockets'), await gauge('socketio_rooms')];
		const socket = await client();
		expect(await settled('socketio_connected_sockets', sockets + 1)).toBe(sockets + 1);
		await watch(socket, { topic: topic.gathering('00000000-0000-4000-8000-00000000ee01') });
		expect(await settled('socketio_rooms', rooms + 1)).toBe(rooms + 1);
		socket.disconnect();
		expect(await settled('socketio_connected_sockets', sockets)).toBe(sockets);
		expect(await settled('socketio_rooms', rooms)).toBe(rooms);
	});

	it('refuses a handshake from another site, in both transports, and lets its own pages in', async () => {
		// Without ORIGIN the request's own host stands in for the app's origin.
		await expect(client({ origin: 'https://evil.example' })).rejects.toThrow();
		const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
		expect(polling.status).toBe(403);
		const hidden = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { 'sec-fetch-site': 'cross-site' } });
		expect(hidden.status).toBe(403);
		const own = await client({ origin: url });
		expect(own.connected).toBe(true);
		const ownPolling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: url } });
		expect(ownPolling.status).toBe(200);
	});

	it('lets only ORIGIN in once it is set', async () => {
		const before = process.env.ORIGIN;
		process.env.ORIGIN = 'https://buurtbord.example';
		try {
			// The page's own host no longer suffices: the public URL decides.
			await expect(client({ origin: url })).rejects.toThrow();
			expect((await client({ origin: 'https://buurtbord.example' })).connected).toBe(true);
		} finally {
			if (before === undefined) delete process.env.ORIGIN;
			else process.env.ORIGIN = before;
		}
	});
});
