import type { Server, Socket } from 'socket.io';
import { announcer } from './announcer.server.ts';
import { serverEvents, type Topic } from './events.ts';
import { diffViews, emptyPatch, type ChangedEvent } from './view-patch.ts';

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
export const VIEW_SPACING_MS = 100;

/** Each audience of a topic is a room of its own, which a client can never name (see schemas.ts). */
export const audienceRoom = (topic: Topic, audience: string) => `${topic}~${audience}`;

/**
 * Sends every socket watching a topic on this instance the view of its audience, after each
 * change: one computation per change (bursts coalesce, see announcer), one encoding per
 * audience, whatever the number of viewers, and only what changed (view-patch.ts): a socket
 * gets the whole view when it starts watching or moves to another audience, then patches.
 * Every instance hears every change from the database and serves its own sockets, so nothing
 * passes between instances.
 */
export function audienceRouter(io: Server, sourceFor: (topic: Topic) => ViewSource | undefined, onGiveUp: (topic: string, error: unknown) => void) {
	const namespace = io.of('/');
	/** Per topic: the last views, and per audience the version of its view. */
	const latest = new Map<Topic, { views: AudienceViews; versions: Record<string, number> }>();
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

	const viewOf = (views: AudienceViews, audience: string) => ({ audience, ...(views.views[audience] ?? views.views.public) });

	const deliver = (topic: Topic, views: AudienceViews) => {
		const before = latest.get(topic);
		const versions: Record<string, number> = {};
		// Sockets whose audience changed (or that had none yet) get their whole new view, and
		// are moved before anything is sent, so nobody hears a view they may no longer see.
		const moved = new Map<string, string[]>();
		for (const id of namespace.adapter.rooms.get(topic) ?? []) {
			const socket = namespace.sockets.get(id);
			if (!socket) continue;
			const audience = audienceOf(socket, views);
			if (place(socket, topic, audience)) moved.set(audience, [...(moved.get(audience) ?? []), id]);
		}
		const movedIds = [...moved.values()].flat();
		for (const audience of Object.keys(views.views)) {
			const view = viewOf(views, audience);
			const old = before?.views.views[audience];
			const version = before?.versions[audience] ?? 0;
			if (old) {
				const patch = diffViews(viewOf(before!.views, audience), view);
				versions[audience] = emptyPatch(patch) ? version : version + 1;
				if (!emptyPatch(patch)) {
					const event: ChangedEvent = { topic, audience, version: version + 1, base: version, patch };
					const room = io.local.to(audienceRoom(topic, audience));
					(movedIds.length ? room.except(movedIds) : room).emit(serverEvents.changed, event);
				}
			} else {
				versions[audience] = version + 1;
			}
			const newcomers = moved.get(audience);
			const whole: ChangedEvent = { topic, audience, version: versions[audience]!, view };
			if (!old) io.local.to(audienceRoom(topic, audience)).emit(serverEvents.changed, whole);
			else if (newcomers) io.local.to(newcomers).emit(serverEvents.changed, whole);
		}
		latest.set(topic, { views, versions });
	};

	const compute = announcer(
		async (key) => {
			const topic = key as Topic;
			const source = sourceFor(topic);
			if (!source || !watchedHere(topic)) return void latest.delete(topic);
			const views = await source(topic.slice(topic.indexOf(':') + 1));
			if (!views || !watchedHere(topic)) return void latest.delete(topic);
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
			const held = latest.get(topic);
			if (!held) return compute(topic);
			const audience = audienceOf(socket, held.views);
			place(socket, topic, audience);
			const whole: ChangedEvent = { topic, audience, version: held.versions[audience] ?? 0, view: viewOf(held.views, audience) };
			socket.emit(serverEvents.changed, whole);
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
