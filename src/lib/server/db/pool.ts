import type pg from 'pg';
import { dataApiConfig } from '../config.ts';
import { resilientPool } from '../pg-pool.ts';

/**
 * The app's direct PostgreSQL connections, for what does not go through the Data API:
 * health checks, rate limits, and sign-in (better-auth keeps its tables in the `identity`
 * schema, which PostgREST does not serve). A person's requests never use these.
 */
let pool: pg.Pool | undefined;

export function databasePool(): pg.Pool {
	pool ??= createPool();
	return pool;
}

export function createPool(options: { searchPath?: string; max?: number } = {}): pg.Pool {
	// Time limits and reconnection: see resilientPool.
	return resilientPool({
		label: options.searchPath ? `database (${options.searchPath})` : 'database',
		connectionString: dataApiConfig().databaseUrl,
		max: options.max ?? 4,
		idleTimeoutMillis: 10_000,
		// Idle connections must not keep a finished process (tests, scripts) alive.
		allowExitOnIdle: true,
		options: options.searchPath ? `-c search_path=${options.searchPath}` : undefined
	});
}

export async function pingDatabase(): Promise<'ok'> {
	await databasePool().query('select 1');
	return 'ok';
}
