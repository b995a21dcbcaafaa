import type { Socket } from 'socket.io-client';
import { clientEvents, serverEvents, type PresenceEvent, type Topic } from '$lib/domain/realtime';

/**
 * The browser side of realtime: one socket per page, shared by every component that
 * watches a topic. Rooms are re-joined after a reconnect, so a board catches up by itself.
 */
type Listener = {
	onPresence?: (event: PresenceEvent) => void;
	onChanged?: (payload: unknown) => void;
	/** After a lost connection comes back: changes may have been missed, so fetch the current state. */
	onReconnect?: () => void;
};

let socket: Promise<Socket> | undefined;
const listeners = new Map<Topic, Set<Listener>>();

function connect(): Promise<Socket> {
	socket ??= import('socket.io-client').then(({ io }) => {
		const s = io({ path: '/socket.io', transports: ['websocket', 'polling'] });
		const catchUp = () => listeners.forEach((set) => set.forEach((l) => l.onReconnect?.()));
		let connectedBefore = false;
		s.on('connect', () => {
			for (const topic of listeners.keys()) s.emit(clientEvents.watch, { topic });
			if (connectedBefore) catchUp();
			connectedBefore = true;
		});
		// A phone that slept or lost its network may hold a dead socket without knowing it:
		// start afresh, which also refreshes every board (onReconnect).
		const restart = () => {
			s.disconnect();
			s.connect();
			// Refresh even if the socket never noticed it was gone.
			setTimeout(catchUp, 1000);
		};
		let hiddenSince = 0;
		window.addEventListener('online', restart);
		document.addEventListener('visibilitychange', () => {
			if (document.hidden) hiddenSince = Date.now();
			else if (hiddenSince && Date.now() - hiddenSince > 30_000) restart();
		});
		s.on(serverEvents.presence, (event: PresenceEvent) => {
			listeners.get(event.topic)?.forEach((l) => l.onPresence?.(event));
		});
		s.on(serverEvents.changed, (event: { topic: Topic; payload: unknown }) => {
			listeners.get(event.topic)?.forEach((l) => l.onChanged?.(event.payload));
		});
		return s;
	});
	return socket;
}

/** Starts watching `topic`; returns a function that stops. */
export function watchTopic(topic: Topic, listener: Listener): () => void {
	let set = listeners.get(topic);
	const first = !set;
	if (!set) listeners.set(topic, (set = new Set()));
	set.add(listener);
	void connect().then((s) => {
		if (first && s.connected) s.emit(clientEvents.watch, { topic });
	});
	return () => {
		set.delete(listener);
		if (set.size === 0) {
			listeners.delete(topic);
			void connect().then((s) => s.emit(clientEvents.unwatch, { topic }));
		}
	};
}
