import { invalidateAll } from '$app/navigation';
import { navigating, page } from '$app/state';
import { clientEvents, serverEvents, type PresenceEvent, type Topic } from '$lib/realtime/events';
import { openSocket, type RealtimeSocket } from '$lib/realtime/socket';
import { applyChangedEvent, type ChangedEvent } from '$lib/realtime/view-patch';

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

let socket: RealtimeSocket | undefined;
/** Who the socket's handshake carried: what it is sent follows that person's access. */
let connectedAs: string | null = null;
const signedInAs = () => (page.data as { memberId?: string | null }).memberId ?? null;
const listeners = new Map<Topic, Set<Listener>>();
/** The last whole view of each watched topic that sends views (see view-patch.ts). */
const views = new Map<Topic, NonNullable<ReturnType<typeof applyChangedEvent>>>();

/**
 * Resolves once the server answers its health check. A board reloads only then: a reload that
 * meets an outage (the database restarting, say) would show the error page instead of the board.
 */
async function whenServing(): Promise<void> {
	for (let wait = 500; ; wait = Math.min(wait * 2, 15_000)) {
		const serving = await fetch('/healthz', { cache: 'no-store' }).then(
			(response) => response.ok,
			() => false
		);
		if (serving) return;
		await new Promise((resolve) => setTimeout(resolve, wait));
	}
}

function connect(): RealtimeSocket {
	if (socket) {
		// Signed in (joining right on a page) or out since the socket opened: a socket speaks for
		// the person of its handshake, so start it afresh as who is here now (which also brings
		// every watched view again, in that person's audience).
		if (signedInAs() !== connectedAs) {
			connectedAs = signedInAs();
			socket.restart();
		}
		return socket;
	}
	connectedAs = signedInAs();
	let catchingUp: Promise<void> | undefined;
	const catchUp = () => {
		catchingUp ??= whenServing().then(() => {
			catchingUp = undefined;
			listeners.forEach((set) => set.forEach((l) => l.onReconnect?.()));
		});
	};
	let connectedBefore = false;
	const s: RealtimeSocket = openSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/socket.io/?EIO=4&transport=websocket`, {
		connect() {
			// Watching again brings each view whole.
			views.clear();
			for (const topic of listeners.keys()) s.emit(clientEvents.watch, { topic });
			if (connectedBefore) catchUp();
			connectedBefore = true;
		},
		event(name, data) {
			const event = data as { topic?: Topic; payload?: unknown } | null;
			const set = event?.topic && listeners.get(event.topic);
			if (!set) return;
			if (name === serverEvents.presence) set.forEach((l) => l.onPresence?.(event as PresenceEvent));
			else if (name === serverEvents.changed && 'version' in event!) {
				const topic = event!.topic!;
				const next = applyChangedEvent(views.get(topic), event as unknown as ChangedEvent);
				// A patch on a version this page does not hold: ask for the whole view again.
				if (!next) return void s.emit(clientEvents.watch, { topic });
				views.set(topic, next);
				set.forEach((l) => l.onChanged?.(next.view));
			} else if (name === serverEvents.changed) set.forEach((l) => l.onChanged?.(event!.payload));
		}
	});
	// A phone that slept or lost its network may hold a dead socket without knowing it:
	// start afresh, which also refreshes every board (onReconnect).
	const restart = () => {
		s.restart();
		// Refresh even if the socket never noticed it was gone.
		setTimeout(catchUp, 1000);
	};
	let hiddenSince = 0;
	window.addEventListener('online', restart);
	document.addEventListener('visibilitychange', () => {
		if (document.hidden) hiddenSince = Date.now();
		else if (hiddenSince && Date.now() - hiddenSince > 30_000) restart();
	});
	return (socket = s);
}

/**
 * Re-runs the page's load, so what a person sees follows their own access rules; never in the
 * way of a page change the person started. Not while the device is offline: the reload would
 * fail and put the error page where the board was. Coming back online catches up (see
 * `connect`: 'online' restarts the socket and refreshes every watcher).
 */
export function refreshPage() {
	if (!navigator.onLine || navigating.to) return;
	void invalidateAll();
}

/** Starts watching `topic`; returns a function that stops. */
export function watchTopic(topic: Topic, listener: Listener): () => void {
	let set = listeners.get(topic);
	const first = !set;
	if (!set) listeners.set(topic, (set = new Set()));
	set.add(listener);
	const s = connect();
	// Not yet connected: `connect` above sends every watched topic once it is.
	if (first) s.emit(clientEvents.watch, { topic });
	return () => {
		set.delete(listener);
		if (set.size === 0) {
			listeners.delete(topic);
			views.delete(topic);
			s.emit(clientEvents.unwatch, { topic });
		}
	};
}
