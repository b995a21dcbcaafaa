import type { IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { clientEvents, serverEvents, type PresenceEvent, type Topic, type TopicKind, type WatchAck } from './events.ts';
import { audienceRouter, type ViewSource } from './audiences.server.ts';
import { listen, type Listener } from '../server/db/listen.ts';
import { topicSchema, watchRequestSchema } from './schemas.ts';
import { log, requestIdFrom, withLogContext, type LogContext } from '../server/log.ts';
import { setRealtimeCounts } from '../server/metrics.ts';
import { originAllowed } from '../server/security/origin.ts';
import { isStopping } from '../server/lifecycle.ts';
import { resilientPool } from '../server/pg-pool.ts';

/**
 * socket.io on the same HTTP server as SvelteKit. `attach` is called by the production
 * server (src/server.ts) and by the Vite dev plugin; the instance is kept on globalThis
 * because SvelteKit's server bundle (or Vite's SSR module graph) loads its own copy of this
 * module, and both must reach the same sockets.
 */
const REGISTRY = Symbol.for('buurtbord.realtime');
type Authenticate = (headers: IncomingHttpHeaders) => Promise<string | null>;
type Router = ReturnType<typeof audienceRouter>;
type Registry = {
	io?: Server;
	authenticate?: Authenticate;
	pool?: pg.Pool;
	connections?: Set<pg.Client>;
	listener?: Listener;
	router?: Router;
	viewSources?: Map<TopicKind, ViewSource>;
	noticesQueued?: () => void;
};
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
 * Lets SvelteKit say what each audience of a kind of topic sees after a change (for boards:
 * boards.server.ts). Changes themselves are announced by the database (see `attach`).
 */
export function setViewSource(kind: TopicKind, source: ViewSource) {
	(registry.viewSources ??= new Map()).set(kind, source);
}

/** What to do when the database queued notices to send (it says so on the same channel: migration *_place_notices.sql). */
export function onNoticesQueued(handler: () => void) {
	registry.noticesQueued = handler;
}

/** The channel the database's triggers announce changed topics on (migration *_board_changes.sql). */
export const CHANGES_CHANNEL = 'buurtbord_changed';
const NOTICES_QUEUED = 'notices';

/**
 * With a database, every instance shares its events through PostgreSQL (socket.io's
 * postgres adapter), so a board open on one instance hears changes made through another.
 */
export function attach(httpServer: HttpServer, options: { databaseUrl?: string; sameHost?: boolean } = {}): Server {
	if (registry.io) void detach();
	const io = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		// Same-origin pages only; the app serves both the page and the socket.
		cors: undefined,
		// Another site's page must not open a socket in a visitor's name (cross-site WebSocket
		// hijacking): browsers name the page's origin, and ORIGIN (read per request: the
		// production server sets it once it listens) decides. `sameHost` is for `npm run dev`.
		allowRequest: (req, callback) => {
			const h = req.headers;
			const allowed = originAllowed({
				origin: h.origin,
				secFetchSite: typeof h['sec-fetch-site'] === 'string' ? h['sec-fetch-site'] : undefined,
				host: h.host,
				expected: process.env.ORIGIN,
				sameHost: options.sameHost
			});
			callback(allowed ? null : 'origin not allowed', allowed);
		},
		maxHttpBufferSize: 16 * 1024
	});
	if (options.databaseUrl) {
		// The adapter LISTENs on one client of this pool and takes another after a restart;
		// resilientPool gives the dead one back (see there).
		const pool = resilientPool({ label: 'realtime adapter', connectionString: options.databaseUrl, max: 3, allowExitOnIdle: true });
		// The LISTEN connection is ended directly at shutdown (see detach).
		const connections = new Set<pg.Client>();
		pool.on('connect', (client) => {
			connections.add(client);
			client.once('end', () => connections.delete(client));
		});
		registry.connections = connections;
		io.adapter(
			createAdapter(pool, {
				tableName: 'identity.socket_io_attachments',
				channelPrefix: 'buurtbord',
				errorHandler: (error) =>
					isStopping() ? log.debug({ err: error }, 'realtime adapter closed while stopping') : log.error({ err: error }, 'realtime adapter failed')
			})
		);
		registry.pool = pool;
	}
	const router = audienceRouter(
		io,
		(topic) => registry.viewSources?.get(topic.slice(0, topic.indexOf(':')) as TopicKind),
		(topic, error) => log.error({ err: error, topic }, 'computing what a topic shows failed')
	);
	registry.router = router;
	if (options.databaseUrl) {
		// Every committed change is announced by the database itself, to every instance.
		registry.listener = listen(options.databaseUrl, CHANGES_CHANNEL, {
			onNotify: (payload) => {
				if (payload === NOTICES_QUEUED) return registry.noticesQueued?.();
				const parsed = topicSchema.safeParse(payload);
				if (parsed.success) router.changed(parsed.data);
			},
			onResume: () => {
				router.resume();
				registry.noticesQueued?.();
			}
		});
	}
	// Each connection carries the request id of its handshake (a proxy's, or a new one), and
	// answers with it as pages do.
	io.engine.on('initial_headers', (headers: Record<string, string>, request: { headers: IncomingHttpHeaders }) => {
		const requestId = requestIdFrom(request.headers['x-request-id']);
		request.headers['x-request-id'] = requestId;
		headers['x-request-id'] = requestId;
	});
	io.use(async (socket, next) => {
		socket.data.requestId = requestIdFrom(socket.handshake.headers['x-request-id']);
		await withLogContext({ requestId: socket.data.requestId, socketId: socket.id }, async () => {
			try {
				socket.data.memberId = registry.authenticate ? await registry.authenticate(socket.handshake.headers) : null;
			} catch (error) {
				log.warn({ err: error }, 'socket sign-in check failed');
				socket.data.memberId = null;
			}
		});
		next();
	});
	io.on('connection', (socket) => handleConnection(io, socket));
	// Another instance asks how many are looking here.
	io.on(LOOKING_HERE, (topic: unknown, reply: unknown) => {
		if (typeof reply === 'function' && typeof topic === 'string') reply(io.of('/').adapter.rooms.get(topic)?.size ?? 0);
	});
	registry.io = io;
	setRealtimeCounts({ sockets: () => io.of('/').sockets.size, rooms: () => watchedTopics(io) });
	return io;
}

/** Closes the sockets and the adapter's connections (at shutdown). */
export async function detach() {
	const { io, pool, connections, listener } = registry;
	registry.io = undefined;
	registry.router = undefined;
	registry.listener = undefined;
	void listener?.stop();
	registry.pool = undefined;
	registry.connections = undefined;
	setRealtimeCounts(undefined);
	// io.close() closes the sockets and the adapter at once, then also closes the HTTP server and
	// waits for its last keep-alive connection — under load, for ever. The server's owner closes
	// the HTTP server with its own time limit, so only the first part is waited for here.
	if (io) await Promise.race([io.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
	// The LISTEN connection may never be handed back (when closing overtakes the adapter's
	// start): the pool alone would wait for it forever.
	connections?.forEach((client) => void client.end().catch(() => {}));
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
	return registry.io ? countLooking(registry.io, topic) : 0;
}

const LOOKING_HERE = 'buurtbord:looking-here';

/**
 * How many sockets watch `topic` on all instances: each instance answers with a number.
 * (`fetchSockets()` would send every remote socket's handshake — cookies included — through
 * PostgreSQL on each count.) An instance that does not answer in time is left out.
 */
async function countLooking(io: Server, topic: Topic): Promise<number> {
	const adapter = io.of('/').adapter;
	const here = adapter.rooms.get(topic)?.size ?? 0;
	// Alone (or without the PostgreSQL adapter, which is the only way to have company).
	if ((await adapter.serverCount().catch(() => 1)) <= 1) return here;
	return new Promise((resolve) => {
		io.serverSideEmit(LOOKING_HERE, topic, (_error: Error | null, counts: unknown[]) =>
			resolve(here + (counts ?? []).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0))
		);
	});
}

/** Every topic carries only public data (counts, never names), so any socket may watch one. */
function mayWatch(_socket: Socket, _topic: Topic): boolean {
	return true;
}

/** Topics a socket watches (its own room and its audiences' rooms aside). */
function watchedBy(socket: Socket): number {
	let topics = 0;
	for (const room of socket.rooms) if (room !== socket.id && !room.includes('~')) topics++;
	return topics;
}

/** Rooms other than each socket's own: the topics watched on this process. */
function watchedTopics(io: Server): number {
	const namespace = io.of('/');
	let topics = 0;
	for (const room of namespace.adapter.rooms.keys()) if (!namespace.sockets.has(room) && !room.includes('~')) topics++;
	return topics;
}

function handleConnection(io: Server, socket: Socket) {
	// Every line about this socket carries its id and its handshake's request id.
	const context: LogContext = { requestId: socket.data.requestId as string, socketId: socket.id };
	const inContext =
		<A extends unknown[]>(handler: (...args: A) => unknown) =>
		(...args: A) =>
			withLogContext(context, () => handler(...args));
	withLogContext(context, () => log.info({ transport: socket.conn.transport.name, signedIn: socket.data.memberId !== null }, 'socket connected'));
	// Who is behind the socket is known by now (handshake middleware): the first HTTP request
	// need not be kept for the socket's lifetime (socket.io's own advice on memory per socket).
	(socket.conn as unknown as { request: unknown }).request = null;
	let windowStart = Date.now();
	let events = 0;
	let malformed = 0;
	// A client that floods or keeps sending garbage is cut off; the others never notice.
	socket.use(
		inContext((_packet, next: (error?: Error) => void) => {
			const now = Date.now();
			if (now - windowStart >= 1000) {
				windowStart = now;
				events = 0;
			}
			if (++events > limits.eventsPerSecond) {
				log.warn({ limit: limits.eventsPerSecond }, 'socket sent too many events; disconnected');
				socket.disconnect(true);
				return;
			}
			next();
		})
	);
	const refuse = (event: string, ack: unknown) => {
		if (typeof ack === 'function') (ack as (reply: WatchAck) => void)({ ok: false, error: 'invalid_request' });
		const cutOff = ++malformed >= limits.malformed;
		log.warn({ event, malformed, disconnected: cutOff }, 'socket input refused');
		if (cutOff) socket.disconnect(true);
	};

	socket.on(
		clientEvents.watch,
		inContext(async (raw: unknown, ack?: unknown) => {
			const parsed = watchRequestSchema.safeParse(raw);
			if (!parsed.success || watchedBy(socket) >= limits.topicsPerSocket || !mayWatch(socket, parsed.data.topic)) {
				refuse(clientEvents.watch, ack);
				return;
			}
			await socket.join(parsed.data.topic);
			log.debug({ topic: parsed.data.topic }, 'socket watches');
			if (typeof ack === 'function') (ack as (reply: WatchAck) => void)({ ok: true });
			registry.router?.watched(socket, parsed.data.topic);
			broadcastPresence(io, parsed.data.topic);
		})
	);

	socket.on(
		clientEvents.unwatch,
		inContext(async (raw: unknown) => {
			const parsed = watchRequestSchema.safeParse(raw);
			if (!parsed.success) return refuse(clientEvents.unwatch, undefined);
			await socket.leave(parsed.data.topic);
			registry.router?.left(socket, parsed.data.topic);
			log.debug({ topic: parsed.data.topic }, 'socket stops watching');
			broadcastPresence(io, parsed.data.topic);
		})
	);

	socket.on(
		'disconnect',
		inContext((reason: string) => {
			log.info({ reason }, 'socket disconnected');
			for (const topic of (socket.data.audiences as Map<Topic, string> | undefined)?.keys() ?? []) registry.router?.left(socket, topic);
		})
	);

	socket.on('disconnecting', () => {
		const watched = [...socket.rooms].filter((room) => room !== socket.id && !room.includes('~')) as Topic[];
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
		void countLooking(io, topic).then((looking) => {
			const event: PresenceEvent = { topic, looking };
			io.to(topic).emit(serverEvents.presence, event);
		});
	}, PRESENCE_EVERY_MS);
	timer.unref?.();
	presenceDue.set(topic, timer);
}
