import pg from 'pg';
import { config } from './config.ts';
import { isStopping } from './lifecycle.ts';
import { log, onceEvery } from './log.ts';
import { countPoolQueries } from './metrics.ts';

/**
 * Every pg pool of the app comes from here, so all of them survive PostgreSQL going away
 * (a crash, a restart, a network cut) and come back by themselves:
 * - an 'error' listener on the pool and on every client — a checked-out client that loses
 *   its connection emits 'error', and an unheard 'error' ends the Node process;
 * - time limits, so a request fails quickly instead of waiting on a database that is gone;
 * - a client held with `connect()` (LISTEN, as the socket.io adapter does) goes back to the
 *   pool when its connection ends, so the pool does not lose a place at each restart;
 * - every query counted in /metrics (database round trips of kind "sql").
 */
export function resilientPool(options: pg.PoolConfig & { label?: string }): pg.Pool {
	const { label = 'database', ...rest } = options;
	const timeout = config().DATABASE_TIMEOUT_MS;
	const pool = new ResilientPool({
		// Waiting for a free connection counts too: a request waits this long in all.
		connectionTimeoutMillis: timeout,
		// The client gives up after this long; PostgreSQL stops the statement a little later.
		query_timeout: timeout,
		statement_timeout: timeout + 1000,
		keepAlive: true,
		...rest
	});
	const lostLine = onceEvery(5000);
	const report = (error: Error) => {
		// Ctrl-C reaches the embedded PostgreSQL as soon as this process, which may hear of the
		// lost connection before its own signal handler runs: decide a moment later.
		setTimeout(() => {
			if (isStopping()) return log.debug({ pool: label, err: error }, 'database connection closed while stopping');
			// One line per outage, not one per connection.
			if (!lostLine()) return;
			log.warn({ pool: label, err: error }, 'database connection lost; reconnecting on the next query');
		}, 250).unref();
	};
	pool.on('error', report);
	pool.on('connect', (client) => client.on('error', report));
	countPoolQueries(pool);
	return pool;
}

class ResilientPool extends pg.Pool {
	// Only the promise form: pool.query() uses the callback form and releases its own clients.
	connect(): Promise<pg.PoolClient>;
	connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
	connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
		if (callback) return super.connect(callback);
		return super.connect().then((client) => {
			const release = client.release;
			let released = false;
			const onEnd = () => client.release(new Error('connection ended'));
			client.release = (error?: Error | boolean) => {
				if (released) return;
				released = true;
				client.removeListener('end', onEnd);
				release.call(client, error);
			};
			client.once('end', onEnd);
			return client;
		});
	}
}
