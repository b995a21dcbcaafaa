/**
 * A small websocket-only client of socket.io's protocol (Engine.IO v4, Socket.IO v5) for the
 * browser. Why not socket.io-client: it costs about 13 kB gzipped — long-polling, binary
 * packets, acknowledgements, namespaces, managers — a quarter of the board page's 50 kB
 * budget, and the pages need only this: one connection to the main namespace, JSON events
 * both ways, heartbeats, and reconnecting with backoff. npm had no maintained small client of
 * the protocol (looked in November 2026). The server stays socket.io: its PostgreSQL adapter
 * joins several instances.
 *
 * Every packet is one text frame: an Engine.IO type digit, and for messages ("4") a Socket.IO
 * type digit, then JSON.
 *   server `0{"sid",…,"pingInterval","pingTimeout"}` opened  → client `40` (join namespace "/")
 *   server `40{"sid"}` joined · `44{…}` refused · `41` sent away · `1` closing
 *   server `2` ping → client `3` pong
 *   both ways `42["event",data]`
 * Without WebSocket, or while the server cannot be reached, a page stays as the server
 * rendered it (no live updates) and this keeps trying, ever more slowly.
 */

export interface SocketHandlers {
	/** Joined (again): the moment to tell the server what this page watches. */
	connect(): void;
	/** An event from the server. */
	event(name: string, data: unknown): void;
}

export interface RealtimeSocket {
	readonly connected: boolean;
	/** Sends an event; dropped while not connected (`connect` is when to send it again). */
	emit(name: string, data: unknown): void;
	/** Drops the connection, alive or dead, and connects again at once. */
	restart(): void;
	/** Stops for good. */
	close(): void;
}

/** Waits between attempts, in ms: doubling from `min` up to `max`, each one ±50% at random. */
export interface Backoff {
	min: number;
	max: number;
}

/** How long opening may take before it counts as failed (socket.io-client's default too). */
const OPEN_TIMEOUT_MS = 20_000;

/** `url`: `ws(s)://host/socket.io/?EIO=4&transport=websocket`. */
export function openSocket(url: string, handlers: SocketHandlers, backoff: Backoff = { min: 1000, max: 5000 }): RealtimeSocket {
	let ws: WebSocket | null = null;
	let connected = false;
	let closed = false;
	let attempts = 0;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let silence: ReturnType<typeof setTimeout> | undefined;
	let deadAfter = OPEN_TIMEOUT_MS;

	const send = (packet: string) => {
		if (ws?.readyState === 1) ws.send(packet);
	};

	// No word from the server for longer than its ping interval plus its timeout: the
	// connection is dead even if the browser has not noticed (a phone that changed networks).
	const heard = () => {
		clearTimeout(silence);
		silence = setTimeout(lost, deadAfter);
	};

	/** Forgets the current connection without waiting for its closing handshake. */
	function drop() {
		clearTimeout(silence);
		if (ws) {
			ws.onmessage = ws.onerror = ws.onclose = null;
			ws.close();
			ws = null;
		}
		connected = false;
	}

	function start() {
		clearTimeout(retry);
		deadAfter = OPEN_TIMEOUT_MS;
		try {
			ws = new WebSocket(url);
		} catch {
			return lost();
		}
		ws.onmessage = (message) => receive(String(message.data));
		// Browsers follow an error with close, Node's WebSocket not always: either one will do
		// (the first one unhooks both).
		ws.onerror = ws.onclose = lost;
		heard();
	}

	function lost() {
		drop();
		if (closed) return;
		// Backoff with jitter, so that every open page does not come back in the same instant
		// after a server restart.
		retry = setTimeout(start, Math.min(backoff.max, backoff.min * 2 ** attempts++) * (0.5 + Math.random()));
	}

	function receive(packet: string) {
		heard();
		const type = packet[0];
		if (type === '0') {
			const open = JSON.parse(packet.slice(1)) as { pingInterval: number; pingTimeout: number };
			deadAfter = open.pingInterval + open.pingTimeout;
			heard();
			send('40');
		} else if (type === '2') send('3');
		else if (type === '1') lost();
		else if (type === '4') {
			const kind = packet[1];
			if (kind === '0') {
				connected = true;
				attempts = 0;
				handlers.connect();
			} else if (kind === '2') {
				// `42["name",data]`, or `42<id>[…]` when the server asks for an answer (it never does).
				const [name, data] = JSON.parse(packet.slice(packet.indexOf('['))) as [string, unknown];
				handlers.event(name, data);
			} else if (kind === '4') lost();
			// Sent away by the server (flooding, say): like socket.io-client, do not come back by
			// ourselves; `restart` still does.
			else if (kind === '1') drop();
		}
	}

	start();
	return {
		get connected() {
			return connected;
		},
		emit: (name, data) => {
			if (connected) send('42' + JSON.stringify([name, data]));
		},
		restart() {
			if (closed) return;
			drop();
			attempts = 0;
			start();
		},
		close() {
			closed = true;
			clearTimeout(retry);
			drop();
		}
	};
}
