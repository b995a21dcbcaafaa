import pg from 'pg';
import { isStopping } from '../lifecycle.ts';
import { log, onceEvery } from '../log.ts';

/**
 * One connection that LISTENs on a channel and keeps listening: when PostgreSQL goes away it
 * connects again with growing pauses, and then calls `onResume`, since notifications sent
 * while it was gone are lost (the caller catches up from the current state).
 */
export interface Listener {
	/** Resolves once the first LISTEN is in place (or the listener was stopped). */
	ready: Promise<void>;
	stop(): Promise<void>;
}

export function listen(
	connectionString: string,
	channel: string,
	handlers: { onNotify: (payload: string) => void; onResume?: () => void }
): Listener {
	let client: pg.Client | undefined;
	let stopped = false;
	let everConnected = false;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let markReady!: () => void;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	const lostLine = onceEvery(5000);

	const connect = async (attempt: number) => {
		if (stopped) return;
		const c = new pg.Client({ connectionString, keepAlive: true, application_name: `buurtbord listen ${channel}` });
		client = c;
		let listening = false;
		const again = (error?: Error) => {
			if (client !== c) return;
			client = undefined;
			c.removeAllListeners('notification');
			void c.end().catch(() => {});
			if (stopped || isStopping()) return;
			if (error && lostLine()) log.warn({ err: error, channel }, 'listening for changes lost its connection; reconnecting');
			const next = listening ? 0 : attempt + 1;
			retry = setTimeout(() => void connect(next), Math.min(10_000, 250 * 2 ** next));
			retry.unref?.();
		};
		c.on('error', again);
		c.on('end', () => again());
		c.on('notification', (message) => {
			if (message.channel === channel && message.payload) handlers.onNotify(message.payload);
		});
		try {
			await c.connect();
			await c.query(`listen ${pg.escapeIdentifier(channel)}`);
		} catch (error) {
			again(error as Error);
			return;
		}
		listening = true;
		if (everConnected) handlers.onResume?.();
		everConnected = true;
		markReady();
	};
	void connect(0);
	return {
		ready,
		async stop() {
			stopped = true;
			clearTimeout(retry);
			markReady();
			const c = client;
			client = undefined;
			await c?.end().catch(() => {});
		}
	};
}
