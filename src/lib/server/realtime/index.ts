import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { clientEvents, serverEvents, type PresenceEvent, type Topic, type WatchAck } from '../../domain/realtime.ts';
import { watchRequestSchema } from '../../domain/realtime-schemas.ts';

/**
 * socket.io on the same HTTP server as SvelteKit. `attach` is called by the production
 * server (src/server.ts) and by the Vite dev plugin; the instance is kept on globalThis
 * because SvelteKit's server bundle (or Vite's SSR module graph) loads its own copy of this
 * module, and both must reach the same sockets.
 */
const REGISTRY = Symbol.for('buurtbord.realtime');
type Registry = { io?: Server };
const registry: Registry = ((globalThis as Record<symbol, Registry>)[REGISTRY] ??= {});

const MAX_TOPICS_PER_SOCKET = 20;

export function attach(httpServer: HttpServer): Server {
	if (registry.io) registry.io.close();
	const io = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		// Same-origin pages only; the app serves both the page and the socket.
		cors: undefined,
		maxHttpBufferSize: 16 * 1024
	});
	io.on('connection', (socket) => handleConnection(io, socket));
	registry.io = io;
	return io;
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

function handleConnection(io: Server, socket: Socket) {
	socket.on(clientEvents.watch, async (raw: unknown, ack?: (reply: WatchAck) => void) => {
		const parsed = watchRequestSchema.safeParse(raw);
		if (!parsed.success || socket.rooms.size > MAX_TOPICS_PER_SOCKET) {
			if (typeof ack === 'function') ack({ ok: false, error: 'invalid_request' });
			return;
		}
		await socket.join(parsed.data.topic);
		if (typeof ack === 'function') ack({ ok: true });
		await broadcastPresence(io, parsed.data.topic);
	});

	socket.on(clientEvents.unwatch, async (raw: unknown) => {
		const parsed = watchRequestSchema.safeParse(raw);
		if (!parsed.success) return;
		await socket.leave(parsed.data.topic);
		await broadcastPresence(io, parsed.data.topic);
	});

	socket.on('disconnecting', () => {
		const watched = [...socket.rooms].filter((room) => room !== socket.id) as Topic[];
		// The socket leaves its rooms right after this event; count once it has.
		setImmediate(() => watched.forEach((t) => void broadcastPresence(io, t)));
	});
}

async function broadcastPresence(io: Server, topic: Topic) {
	const looking = (await io.in(topic).fetchSockets()).length;
	const event: PresenceEvent = { topic, looking };
	io.to(topic).emit(serverEvents.presence, event);
}
