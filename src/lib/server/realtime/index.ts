import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { clientEvents, serverEvents, type PresenceEvent, type Topic, type WatchAck } from '../../domain/realtime.ts';
import { watchRequestSchema } from '../../domain/realtime-schemas.ts';
import { resilientPool } from '../pg-pool.ts';

/**
 * socket.io on the same HTTP server as SvelteKit. `attach` is called by the production
 * server (src/server.ts) and by the Vite dev plugin; the instance is kept on globalThis
 * because SvelteKit's server bundle (or Vite's SSR module graph) loads its own copy of this
 * module, and both must reach the same sockets.
 */
const REGISTRY = Symbol.for('buurtbord.realtime');
type Authenticate = (headers: IncomingHttpHeaders) => Promise<string | null>;
type Registry = { io?: Server; authenticate?: Authenticate; pool?: pg.Pool };
const registry: Registry = ((globalThis as Record<symbol, Registry>)[REGISTRY] ??= {});

export const limits = {
	topicsPerSocket: 20,
	/** Events a socket may send per second before it is disconnected. */
	eventsPerSecond: 20,
	/** Malformed events a socket may send before it is disconnected. */
	malformed: 5
};

/** Lets SvelteKit tell sockets who is behind them (from the session cookie at the handshake). */
export function setAuthenticator(authenticate: Authenticate) {
	registry.authenticate = authenticate;
}

/**
 * With a database, every instance shares its events through PostgreSQL (socket.io's
 * postgres adapter), so a board open on one instance hears changes made through another.
 */
export function attach(httpServer: HttpServer, options: { databaseUrl?: string } = {}): Server {
	if (registry.io) void detach();
	const io = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		// Same-origin pages only; the app serves both the page and the socket.
		cors: undefined,
		maxHttpBufferSize: 16 * 1024
	});
	if (options.databaseUrl) {
		// The adapter LISTENs on one client of this pool and takes another after a restart;
		// resilientPool gives the dead one back (see there).
		const pool = resilientPool({ label: 'realtime adapter', connectionString: options.databaseUrl, max: 3, allowExitOnIdle: true });
		io.adapter(
			createAdapter(pool, {
				tableName: 'identity.socket_io_attachments',
				channelPrefix: 'buurtbord',
				errorHandler: (error) => console.error('realtime adapter:', error.message)
			})
		);
		registry.pool = pool;
	}
	io.use(async (socket, next) => {
		try {
			socket.data.memberId = registry.authenticate ? await registry.authenticate(socket.handshake.headers) : null;
		} catch {
			socket.data.memberId = null;
		}
		next();
	});
	io.on('connection', (socket) => handleConnection(io, socket));
	registry.io = io;
	return io;
}

/** Closes the sockets and the adapter's connections (at shutdown). */
export async function detach() {
	const { io, pool } = registry;
	registry.io = undefined;
	registry.pool = undefined;
	// io.close() closes the sockets and the adapter at once, then also closes the HTTP server and
	// waits for its last keep-alive connection — under load, for ever. The server's owner closes
	// the HTTP server with its own time limit, so only the first part is waited for here.
	if (io) await Promise.race([io.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
	await Promise.race([pool?.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}

export function realtimeServer(): Server | undefined {
	return registry.io;
}

/** Sends `changed` to every page watching `topic`. Call only after the change has committed. */
export function publish<T>(topic: Topic, payload: T) {
	registry.io?.to(topic).emit(serverEvents.changed, { topic, payload });
}

export async function lookingCount(topic: Topic): Promise<number> {
	if (!registry.io) return 0;
	return (await registry.io.in(topic).fetchSockets()).length;
}

/** Every topic carries only public data (counts, never names), so any socket may watch one. */
function mayWatch(_socket: Socket, _topic: Topic): boolean {
	return true;
}

function handleConnection(io: Server, socket: Socket) {
	// Who is behind the socket is known by now (handshake middleware): the first HTTP request
	// need not be kept for the socket's lifetime (socket.io's own advice on memory per socket).
	(socket.conn as unknown as { request: unknown }).request = null;
	let windowStart = Date.now();
	let events = 0;
	let malformed = 0;
	// A client that floods or keeps sending garbage is cut off; the others never notice.
	socket.use((_packet, next) => {
		const now = Date.now();
		if (now - windowStart >= 1000) {
			windowStart = now;
			events = 0;
		}
		if (++events > limits.eventsPerSecond) {
			socket.disconnect(true);
			return;
		}
		next();
	});
	const refuse = (ack: unknown) => {
		if (typeof ack === 'function') (ack as (reply: WatchAck) => void)({ ok: false, error: 'invalid_request' });
		if (++malformed >= limits.malformed) socket.disconnect(true);
	};

	socket.on(clientEvents.watch, async (raw: unknown, ack?: unknown) => {
		const parsed = watchRequestSchema.safeParse(raw);
		if (!parsed.success || socket.rooms.size > limits.topicsPerSocket || !mayWatch(socket, parsed.data.topic)) {
			refuse(ack);
			return;
		}
		await socket.join(parsed.data.topic);
		if (typeof ack === 'function') (ack as (reply: WatchAck) => void)({ ok: true });
		broadcastPresence(io, parsed.data.topic);
	});

	socket.on(clientEvents.unwatch, async (raw: unknown) => {
		const parsed = watchRequestSchema.safeParse(raw);
		if (!parsed.success) return refuse(undefined);
		await socket.leave(parsed.data.topic);
		broadcastPresence(io, parsed.data.topic);
	});

	socket.on('disconnecting', () => {
		const watched = [...socket.rooms].filter((room) => room !== socket.id) as Topic[];
		// The socket leaves its rooms right after this event; the count comes later, once it has.
		watched.forEach((t) => broadcastPresence(io, t));
	});
}

/**
 * How many are looking, told to everyone watching — at most once per PRESENCE_EVERY_MS per
 * topic: when a full hall opens a board at once, a count per arrival would send everyone
 * n messages (n² in all); one count for the whole burst says the same.
 */
const PRESENCE_EVERY_MS = 250;
const presenceDue = new Map<Topic, ReturnType<typeof setTimeout>>();

function broadcastPresence(io: Server, topic: Topic) {
	if (presenceDue.has(topic)) return;
	const timer = setTimeout(() => {
		presenceDue.delete(topic);
		void io
			.in(topic)
			.fetchSockets()
			.then((sockets) => {
				const event: PresenceEvent = { topic, looking: sockets.length };
				io.to(topic).emit(serverEvents.presence, event);
			})
			.catch(() => undefined);
	}, PRESENCE_EVERY_MS);
	timer.unref?.();
	presenceDue.set(topic, timer);
}
