import { createHash } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * A small load balancer with sticky sessions, for tests and `npm run scale-out` (loopback
 * only; not for production). It passes HTTP requests and websocket upgrades to one of several
 * app instances and keeps each client on the same one: by a cookie it sets on the first
 * answer, or — for a client that sends no cookie — by a hash of the client's address.
 * socket.io needs this: its long-polling transport sends each request of one connection
 * separately, and only the instance that made the connection knows it.
 */
export const STICKY_COOKIE = 'buurtbord_instance';

export interface StickyProxy {
	url: string;
	/** The instances to balance over (base URLs); until set, every request answers 503. */
	setTargets(targets: string[]): void;
	/** Requests and upgrades passed to each instance so far, by index. */
	routed(): number[];
	stop(): Promise<void>;
}

interface Target {
	host: string;
	port: number;
	agent: Agent;
}

export async function startStickyProxy(options: { port?: number; host?: string } = {}): Promise<StickyProxy> {
	const host = options.host ?? '127.0.0.1';
	let targets: Target[] = [];
	let counts: number[] = [];
	const open = new Set<Socket>();

	/** The instance this client sticks to, and whether it still needs the cookie. */
	const choose = (req: IncomingMessage): { index: number; fresh: boolean } => {
		const match = new RegExp(`(?:^|;\\s*)${STICKY_COOKIE}=(\\d+)`).exec(req.headers.cookie ?? '');
		const pinned = match ? Number(match[1]) : NaN;
		if (Number.isInteger(pinned) && pinned < targets.length) return { index: pinned, fresh: false };
		const digest = createHash('sha256').update(req.socket.remoteAddress ?? '').digest();
		return { index: digest.readUInt32BE(0) % targets.length, fresh: true };
	};

	// As a proxy in front of the app would: the app reads the client's address from here
	// (adapter-node's ADDRESS_HEADER=x-forwarded-for).
	const forwardedFor = (req: IncomingMessage) =>
		[req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');

	const server = createServer((req, res) => {
		if (!targets.length) {
			res.writeHead(503, { 'retry-after': '1' }).end('No instances yet');
			return;
		}
		// By hand: /_sticky/<n> moves this browser to instance n.
		const move = /^\/_sticky\/(\d+)$/.exec(req.url ?? '');
		if (move && Number(move[1]) < targets.length) {
			res.writeHead(303, { location: '/', 'set-cookie': `${STICKY_COOKIE}=${Number(move[1])}; Path=/; HttpOnly; SameSite=Lax` }).end();
			return;
		}
		const { index, fresh } = choose(req);
		const target = targets[index]!;
		counts[index]!++;
		const headers: OutgoingHttpHeaders = { ...req.headers, 'x-forwarded-for': forwardedFor(req) };
		const upstream = request(
			{ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: target.agent },
			(answer) => {
				const out: OutgoingHttpHeaders = { ...answer.headers };
				if (fresh) {
					const setCookie = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
					out['set-cookie'] = [...setCookie, `${STICKY_COOKIE}=${index}; Path=/; HttpOnly; SameSite=Lax`];
				}
				res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
				answer.pipe(res);
			}
		);
		upstream.on('error', () => {
			if (!res.headersSent) res.writeHead(502).end('Bad gateway');
			else res.destroy();
		});
		req.pipe(upstream);
	});

	// Websockets: the upgrade request goes to the sticky instance, then bytes flow both ways.
	server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
		if (!targets.length) return client.destroy();
		const { index } = choose(req);
		const target = targets[index]!;
		counts[index]!++;
		const upstream = connect(target.port, target.host, () => {
			const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
			for (let i = 0; i < req.rawHeaders.length; i += 2) {
				if (req.rawHeaders[i]!.toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
			}
			lines.push(`X-Forwarded-For: ${forwardedFor(req)}`);
			upstream.write(lines.join('\r\n') + '\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		open.add(upstream);
		upstream.once('close', () => open.delete(upstream));
		const end = () => {
			upstream.destroy();
			client.destroy();
		};
		upstream.on('error', end);
		client.on('error', end);
		client.on('close', end);
	});
	server.on('connection', (socket) => {
		open.add(socket);
		socket.once('close', () => open.delete(socket));
	});

	await new Promise<void>((ready, fail) => {
		server.once('error', fail);
		server.listen(options.port ?? 0, host, ready);
	});
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://${host}:${port}`,
		setTargets(list) {
			targets.forEach((t) => t.agent.destroy());
			targets = list.map((base) => {
				const url = new URL(base);
				return { host: url.hostname, port: Number(url.port), agent: new Agent({ keepAlive: true }) };
			});
			counts = targets.map(() => 0);
		},
		routed: () => [...counts],
		async stop() {
			const closed = new Promise<void>((done) => server.close(() => done()));
			for (const socket of open) socket.destroy();
			targets.forEach((t) => t.agent.destroy());
			await closed;
		}
	};
}
