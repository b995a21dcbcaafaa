import { dataApiConfig } from './config.ts';
import { pingDatabase } from './db/pool.ts';

export interface ComponentHealth {
	status: 'ok' | 'down';
	latency_ms?: number;
}

export interface Health {
	status: 'ok' | 'unavailable';
	database: ComponentHealth;
	postgrest: ComponentHealth;
}

const TIMEOUT_MS = 2000;

/** Liveness of the database (direct) and of PostgREST (a real query through `/rest/v1`). */
export async function checkHealth(): Promise<Health> {
	const [database, postgrest] = await Promise.all([timed(pingDatabase), timed(pingDataApi)]);
	const healthy = database.status === 'ok' && postgrest.status === 'ok';
	return { status: healthy ? 'ok' : 'unavailable', database, postgrest };
}

async function pingDataApi(): Promise<'ok'> {
	const c = dataApiConfig();
	const response = await fetch(`${c.supabaseUrl}/rest/v1/neighbourhood?select=id&limit=1`, {
		headers: { apikey: c.anonKey, authorization: `Bearer ${c.anonKey}` },
		signal: AbortSignal.timeout(TIMEOUT_MS)
	});
	await response.body?.cancel();
	if (!response.ok) throw new Error(`PostgREST answered ${response.status}`);
	return 'ok';
}

async function timed(check: () => Promise<'ok'>): Promise<ComponentHealth> {
	const started = performance.now();
	try {
		const status = await Promise.race([
			check(),
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS))
		]);
		return { status, latency_ms: Math.round(performance.now() - started) };
	} catch {
		return { status: 'down' };
	}
}
