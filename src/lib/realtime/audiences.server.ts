import type { Server, Socket } from 'socket.io';
import { announcer } from './announcer.server.ts';
import { serverEvents, type Topic } from './events.ts';

/**
 * What each audience of a topic may see after a change, computed once for all its viewers
 * (for a board: visitors, the people on it, those who run it), and which signed-in members
 * belong to which audience; everyone else belongs to `public`.
 */
export interface AudienceViews {
	views: { public: object } & Record<string, object>;
	audienceOf: ReadonlyMap<string, string>;
}
export type ViewSource = (id: string) => Promise<AudienceViews | null>;

export const PUBLIC_AUDIENCE = 'public';

/** Least time between two computations of one topic: a burst costs one per this many ms. */
export const VIEW_SPACING_MS = 200;

/** Each audience of a topic is a room of its own, which a client can never name (see schemas.ts). */
export const audienceRoom = (topic: Topic, audience: string) => `${topic}~${audience}`;

/**
 * Sends every socket watching a topic on this instance the view of its audience, after each
 * change: one computation per change (bursts coalesce, see announcer), one encoding per
 * audience, whatever the number of viewers. Every instance hears every change from the
 * database and serves its own sockets, so nothing passes between instances.
 */
export function audienceRouter(io: Server, sourceFor: (topic: Topic) => ViewSource | undefined, onGiveUp: (topic: string, error: unknown) => void) {
	const namespace = io.of('/');
	const latest = new Map<Topic, AudienceViews>();
	const placed = (socket: Socket): Map<Topic, string> => (socket.data.audiences ??= new Map<Topic, string>());
	const watchedHere = (topic: Topic) => (namespace.adapter.rooms.get(topic)?.size ?? 0) > 0;

	const audienceOf = (socket: Socket, views: AudienceViews) => {
		const member = socket.data.memberId as string | null;
		return (member && views.audienceOf.get(member)) || PUBLIC_AUDIENCE;
	};

	/** Puts a socket in the room of its audience; true when it moved. */
	const place = (socket: Socket, topic: Topic, audience: string) => {
		const rooms = placed(socket);
		const current = rooms.get(topic);
		if (current === audience) return false;
		if (current) void socket.leave(audienceRoom(topic, current));
		void socket.join(audienceRoom(topic, audience));
		rooms.set(topic, audience);
		return true;
	};

	const payloadFor = (views: AudienceViews, audience: string) => ({ audience, ...(views.views[audience] ?? views.views.public) });

	const deliver = (topic: Topic, views: AudienceViews) => {
		for (const id of namespace.adapter.rooms.get(topic) ?? []) {
			const socket = namespace.sockets.get(id);
			if (socket) place(socket, topic, audienceOf(socket, views));
		}
		for (const audience of Object.keys(views.views)) {
			io.local.to(audienceRoom(topic, audience)).emit(serverEvents.changed, { topic, payload: payloadFor(views, audience) });
		}
	};

	const compute = announcer(
		async (key) => {
			const topic = key as Topic;
			const source = sourceFor(topic);
			if (!source || !watchedHere(topic)) return void latest.delete(topic);
			const views = await source(topic.slice(topic.indexOf(':') + 1));
			if (!views || !watchedHere(topic)) return void latest.delete(topic);
			latest.set(topic, views);
			deliver(topic, views);
		},
		{ spacing: VIEW_SPACING_MS, onGiveUp }
	);

	return {
		/** The database says `topic` changed (on any instance). */
		changed(topic: Topic) {
			if (watchedHere(topic)) compute(topic);
			else latest.delete(topic);
		},
		/** A socket started watching: it gets the current view at once (the page may predate a change). */
		watched(socket: Socket, topic: Topic) {
			if (!sourceFor(topic)) return;
			const views = latest.get(topic);
			if (!views) return compute(topic);
			const audience = audienceOf(socket, views);
			place(socket, topic, audience);
			socket.emit(serverEvents.changed, { topic, payload: payloadFor(views, audience) });
		},
		left(socket: Socket, topic: Topic) {
			const audience = placed(socket).get(topic);
			if (audience) void socket.leave(audienceRoom(topic, audience));
			placed(socket).delete(topic);
			if (!watchedHere(topic)) latest.delete(topic);
		},
		/** After the database connection came back: changes may have been missed. */
		resume() {
			for (const room of namespace.adapter.rooms.keys()) {
				const topic = room as Topic;
				if (sourceFor(topic) && !room.includes('~')) compute(topic);
			}
		}
	};
}
