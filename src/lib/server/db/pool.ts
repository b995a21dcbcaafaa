import pg from 'pg';
import { dataApiConfig } from '../config.ts';

/**
 * A small direct PostgreSQL pool, for what the Data API cannot do (health checks now; the
 * socket.io adapter later). Absent when only SUPABASE_URL is configured.
 */
let pool: pg.Pool | undefined;

export function databasePool(): pg.Pool | undefined {
	const { databaseUrl } = dataApiConfig();
	if (!databaseUrl) return undefined;
	pool ??= new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2000, idleTimeoutMillis: 10_000 });
	// A dropped connection must not take the process down; the next query reconnects.
	pool.on('error', () => {});
	return pool;
}

export async function pingDatabase(): Promise<'ok' | 'not_configured'> {
	const p = databasePool();
	if (!p) return 'not_configured';
	await p.query('select 1');
	return 'ok';
}
