import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signDataApiToken } from '../../src/lib/server/auth/tokens.ts';
import { freePort } from '../../src/lib/server/stack/free-port.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { startStickyProxy, type StickyProxy } from './sticky-proxy.ts';

/**
 * Several instances of the built app on one database behind a sticky proxy, set up as a
 * production deployment would be: instance A starts the embedded stack (PostgreSQL and
 * PostgREST); the others run with DATABASE_URL, SUPABASE_URL and its keys, and A's secrets,
 * as instances on a managed PostgreSQL such as Supabase do. They never start a PostgREST of
 * their own: the embedded one gives its role a fresh password on every start, which would
 * lock the first instance's PostgREST out.
 */
export interface ScaleOut {
	proxy: StickyProxy;
	instances: (ServerProcess & { directUrl: string })[];
	databaseUrl: string;
	/** The demo neighbourhood's invite code, when demo data was loaded. */
	inviteCode: string | null;
	stop(): Promise<void>;
}

export async function startScaleOut(options: { dataDir: string; instances?: number; proxyPort?: number; env?: Record<string, string> }): Promise<ScaleOut> {
	const proxy = await startStickyProxy({ port: options.proxyPort });
	const instances: ScaleOut['instances'] = [];
	const stop = async () => {
		// The first instance owns the database: it stops last.
		for (const instance of [...instances].reverse()) await instance.stop();
		await proxy.stop();
	};
	try {
		// Every instance answers under the proxy's address: forms are checked against ORIGIN.
		const common = { ORIGIN: proxy.url, ADDRESS_HEADER: 'x-forwarded-for', ...options.env };
		const start = async (env: Record<string, string>) => {
			const port = await freePort();
			const instance = await startServerProcess({ ...common, ...env, PORT: String(port) }, 120_000);
			instances.push({ ...instance, directUrl: `http://127.0.0.1:${port}` });
			return instance;
		};
		const first = await start({ BUURTBORD_DATA_DIR: options.dataDir });
		const gateway = /embedded PostgREST at (http:\/\/\S+)\/rest\/v1/.exec(first.output())?.[1];
		if (!gateway) throw new Error(`the first instance did not start its own Data API:\n${first.output()}`);
		const secrets = JSON.parse(await readFile(join(options.dataDir, 'secrets.json'), 'utf8'));
		const port = Number((await readFile(join(options.dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3]);
		const databaseUrl = `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/buurtbord`;
		const inviteCode = /join\/([0-9A-Z]{10})/.exec(first.output())?.[1] ?? null;
		const TEN_YEARS = 10 * 365 * 24 * 3600;
		const shared = {
			DATABASE_URL: databaseUrl,
			SUPABASE_URL: gateway,
			SUPABASE_ANON_KEY: await signDataApiToken(secrets.dataApiSigningKey, { role: 'anon' }, TEN_YEARS),
			SUPABASE_SERVICE_ROLE_KEY: await signDataApiToken(secrets.dataApiSigningKey, { role: 'service_role' }, TEN_YEARS),
			DATA_API_SIGNING_KEY: secrets.dataApiSigningKey,
			AUTH_SECRET: secrets.authSecret,
			VAPID_PUBLIC_KEY: secrets.vapidPublicKey,
			VAPID_PRIVATE_KEY: secrets.vapidPrivateKey,
			// The same folder, so e-mail from any instance lands in one local outbox.
			BUURTBORD_DATA_DIR: options.dataDir
		};
		for (let i = 1; i < (options.instances ?? 2); i++) await start(shared);
		proxy.setTargets(instances.map((instance) => instance.directUrl));
		return { proxy, instances, databaseUrl, inviteCode, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
