import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topic } from '../../domain/realtime.ts';
import { attach, limits, publish, setAuthenticator } from './index.ts';

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
		const { realtimeServer } = await import('./index.ts');
		const signedIn = await client({ cookie: 'session=ayla' });
		const anonymous = await client();
		const found = await realtimeServer()!.fetchSockets();
		const byId = new Map(found.map((s) => [s.id, s.data.memberId]));
		expect(byId.get(signedIn.id!)).toBe('member-ayla');
		expect(byId.get(anonymous.id!)).toBeNull();
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
