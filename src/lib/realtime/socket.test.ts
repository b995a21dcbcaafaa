import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { openSocket } from './socket.ts';

/**
 * The browser's client against a real socket.io server on loopback, through Node's own
 * WebSocket (the same WHATWG API as in browsers). Nothing is faked: lost connections are real
 * closed or silenced TCP connections.
 */
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const undo of cleanup.splice(0).reverse()) await undo();
});

const fast = { min: 20, max: 100 };

async function startServer(options: Partial<ServerOptions> = {}, port = 0) {
	const http = createServer();
	const io = new Server(http, { path: '/socket.io', serveClient: false, ...options });
	await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await new Promise<void>((resolve) => io.close(() => resolve()));
		http.closeAllConnections();
		await new Promise<void>((resolve) => http.close(() => resolve()));
	};
	cleanup.push(stop);
	return { io, http, port: (http.address() as AddressInfo).port, stop };
}

const urlFor = (port: number) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;

/** A client that records what it hears, with promises for the next connect and event. */
function client(port: number, backoff = fast) {
	const events: [string, unknown][] = [];
	let connects = 0;
	const waiters: (() => void)[] = [];
	const wake = () => waiters.splice(0).forEach((w) => w());
	const socket = openSocket(
		urlFor(port),
		{
			connect: () => {
				connects++;
				wake();
			},
			event: (name, data) => {
				events.push([name, data]);
				wake();
			}
		},
		backoff
	);
	cleanup.push(() => socket.close());
	const until = (check: () => boolean, ms = 3000) =>
		new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('timed out')), ms);
			const test = () => {
				if (check()) {
					clearTimeout(timer);
					resolve();
				} else waiters.push(test);
			};
			test();
		});
	return { socket, events, connects: () => connects, until };
}

const serverSocket = (io: Server) =>
	new Promise<Socket>((resolve) => {
		const existing = [...io.sockets.sockets.values()][0];
		if (existing) resolve(existing);
		else io.once('connection', resolve);
	});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loopback TCP relay whose connections can go silent without closing: a network that drops everything. */
async function relay(targetPort: number) {
	const pairs: { sockets: [TcpSocket, TcpSocket]; silent: boolean }[] = [];
	const server: TcpServer = createTcpServer((inbound) => {
		const outbound = tcpConnect(targetPort, '127.0.0.1');
		const pair = { sockets: [inbound, outbound] as [TcpSocket, TcpSocket], silent: false };
		pairs.push(pair);
		inbound.on('data', (chunk) => pair.silent || outbound.write(chunk));
		outbound.on('data', (chunk) => pair.silent || inbound.write(chunk));
		inbound.on('error', () => {});
		outbound.on('error', () => {});
		inbound.on('close', () => outbound.destroy());
		outbound.on('close', () => inbound.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	cleanup.push(() => {
		pairs.forEach((p) => p.sockets.forEach((s) => s.destroy()));
		return new Promise((resolve) => server.close(resolve));
	});
	return {
		port: (server.address() as AddressInfo).port,
		/** Drops all traffic on the connections open now; new connections work normally. */
		silence: () => pairs.forEach((p) => (p.silent = true))
	};
}

describe('realtime socket client', () => {
	it('joins the namespace, sends events and receives the server’s', async () => {
		const { io, port } = await startServer();
		io.on('connection', (socket) => {
			socket.on('watch', (data: { topic: string }) => {
				void socket.join(data.topic);
				io.to(data.topic).emit('changed', { topic: data.topic, payload: { going: 3, names: ['Ayla', 'Sem'] } });
			});
		});
		const c = client(port);
		await c.until(() => c.connects() === 1);
		expect(c.socket.connected).toBe(true);
		c.socket.emit('watch', { topic: 'gathering:1' });
		await c.until(() => c.events.length === 1);
		expect(c.events[0]).toEqual(['changed', { topic: 'gathering:1', payload: { going: 3, names: ['Ayla', 'Sem'] } }]);
		// The server sees one client on the websocket transport, never long-polling.
		const [only] = [...io.sockets.sockets.values()];
		expect(io.sockets.sockets.size).toBe(1);
		expect(only!.conn.transport.name).toBe('websocket');
	});

	it('answers the server’s pings, so the connection outlives many ping timeouts', async () => {
		// Without a pong the server would close after 300 ms; a second gives it about ten pings.
		const { io, port } = await startServer({ pingInterval: 100, pingTimeout: 200 });
		const c = client(port);
		await c.until(() => c.connects() === 1);
		const first = await serverSocket(io);
		await sleep(1000);
		expect(first.connected).toBe(true);
		expect(c.connects()).toBe(1);
		first.emit('presence', { looking: 1 });
		await c.until(() => c.events.length === 1);
	});

	it('comes back after the connection closes and after the server restarts, joining again each time', async () => {
		const server = await startServer();
		const c = client(server.port);
		await c.until(() => c.connects() === 1);
		(await serverSocket(server.io)).conn.close();
		await c.until(() => c.connects() === 2);
		expect(c.socket.connected).toBe(true);

		await server.stop();
		await sleep(50);
		expect(c.socket.connected).toBe(false);
		// Sent while down: dropped, not queued (the page re-watches on connect).
		c.socket.emit('watch', { topic: 'gathering:1' });
		const again = await startServer({}, server.port);
		let heard = 0;
		again.io.on('connection', (socket) => socket.on('watch', () => heard++));
		await c.until(() => c.connects() === 3);
		expect(heard).toBe(0);
		c.socket.emit('watch', { topic: 'gathering:1' });
		await sleep(50);
		expect(heard).toBe(1);
	});

	it('keeps trying while the server is unreachable, and connects once it is there', async () => {
		const probe = await startServer();
		const port = probe.port;
		await probe.stop();
		const c = client(port);
		await sleep(300);
		expect(c.connects()).toBe(0);
		expect(c.socket.connected).toBe(false);
		await startServer({}, port);
		await c.until(() => c.connects() === 1);
	});

	it('notices a connection gone silent (no pings) and connects afresh', async () => {
		const { io, port } = await startServer({ pingInterval: 50, pingTimeout: 50 });
		const r = await relay(port);
		const c = client(r.port);
		await c.until(() => c.connects() === 1);
		r.silence();
		// Dead after pingInterval + pingTimeout of silence; then back through a new connection.
		await c.until(() => c.connects() === 2);
		expect(c.socket.connected).toBe(true);
		await sleep(20);
		[...io.sockets.sockets.values()].at(-1)!.emit('presence', { n: 1 });
		await c.until(() => c.events.length === 1);
	});

	it('stays away when the server sends it away, until restarted', async () => {
		const { io, port } = await startServer();
		const c = client(port);
		await c.until(() => c.connects() === 1);
		(await serverSocket(io)).disconnect(true);
		await sleep(300);
		expect(c.connects()).toBe(1);
		expect(c.socket.connected).toBe(false);
		c.socket.restart();
		await c.until(() => c.connects() === 2);
	});

	it('restart drops a live connection and joins again at once', async () => {
		const { io, port } = await startServer();
		const c = client(port, { min: 10_000, max: 10_000 });
		await c.until(() => c.connects() === 1);
		const before = await serverSocket(io);
		c.socket.restart();
		expect(c.socket.connected).toBe(false);
		// Well before any backoff delay: restart does not wait.
		await c.until(() => c.connects() === 2, 2000);
		await sleep(50);
		expect(before.connected).toBe(false);
		expect(io.sockets.sockets.size).toBe(1);
	});

	it('stops for good when closed', async () => {
		const { io, port } = await startServer();
		const c = client(port);
		await c.until(() => c.connects() === 1);
		c.socket.close();
		c.socket.restart();
		await sleep(300);
		expect(c.connects()).toBe(1);
		expect(io.sockets.sockets.size).toBe(0);
	});
});
