import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { signDataApiToken } from '../auth/tokens.ts';
import { isSigningKey, jwksOf } from '../auth/signing-key.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { startGateway } from './gateway.ts';
import { demoInviteCode } from './demo-invite.ts';
import { migrate } from './migrate.ts';
import { startPostgrest, type RunningPostgrest } from './postgrest.ts';
import { supervise, type Supervisor } from './supervisor.ts';
import { loadOrCreateSecrets } from './secrets.ts';

/** The environment the app reads once the stack runs: the same variables a deployment sets. */
export interface StackEnv {
	SUPABASE_URL: string;
	/** For anon (the publishable key, or a legacy anon key). */
	SUPABASE_PUBLISHABLE_KEY: string;
	/** For service_role (the secret key, or a legacy service-role key); server only. */
	SUPABASE_SECRET_KEY: string;
	/** What signs members' tokens: one of the two. */
	DATA_API_SIGNING_KEY?: string;
	SUPABASE_JWT_SECRET?: string;
	AUTH_SECRET: string;
	DATABASE_URL?: string;
	VAPID_PUBLIC_KEY: string;
	VAPID_PRIVATE_KEY: string;
}

export interface Stack {
	env: StackEnv;
	/** What was started here rather than configured, for the start-up message. */
	started: { postgres: boolean; postgrest: boolean; migrationsApplied: string[]; seeded: boolean };
	/** The demo neighbourhood's invite code, when demo data is in use. */
	demoInviteCode: string | null;
	/**
	 * Shutdown has begun: children that exit from now on stay down. Call it first thing in a
	 * signal handler — Ctrl-C reaches PostgreSQL and PostgREST too, and they must not be
	 * restarted while the app finishes its last requests.
	 */
	quiesce(): void;
	stop(): Promise<void>;
}

const TEN_YEARS = 10 * 365 * 24 * 3600;

/**
 * Starts what the configuration does not provide: an embedded PostgreSQL unless DATABASE_URL
 * is set, and PostgREST behind `/rest/v1` unless SUPABASE_URL is set. Applies migrations
 * whenever a database connection is available.
 */
export async function startStack(config: Config, options: { projectDir?: string } = {}): Promise<Stack> {
	const projectDir = options.projectDir ?? process.cwd();
	const dataDir = resolve(projectDir, config.BUURTBORD_DATA_DIR);
	const stops: (() => Promise<void>)[] = [];
	const supervisors: Supervisor[] = [];
	const quiesce = () => supervisors.forEach((s) => s.quiesce());
	// All children are signalled at once: a signal handler elsewhere may end the process
	// right after, and no postgres or postgrest process may outlive it.
	const stop = async () => {
		quiesce();
		await Promise.all(stops.splice(0).map((fn) => fn().catch(() => {})));
	};

	try {
		const embeddedDatabase = !config.DATABASE_URL && !config.SUPABASE_URL;
		const needSecrets = embeddedDatabase || !(config.DATA_API_SIGNING_KEY ?? config.SUPABASE_JWT_SECRET) || !config.AUTH_SECRET || !config.VAPID_PRIVATE_KEY;
		const secrets = needSecrets ? await loadOrCreateSecrets(dataDir) : undefined;
		const authSecret = config.AUTH_SECRET ?? secrets!.authSecret;
		const vapid = {
			VAPID_PUBLIC_KEY: config.VAPID_PUBLIC_KEY ?? secrets!.vapidPublicKey,
			VAPID_PRIVATE_KEY: config.VAPID_PRIVATE_KEY ?? secrets!.vapidPrivateKey
		};

		let databaseUrl = config.DATABASE_URL;
		// Set once PostgREST runs: after PostgreSQL came back, PostgREST reconnects at once.
		let postgrestNow: RunningPostgrest | undefined;
		if (embeddedDatabase) {
			const postgres = await startEmbeddedPostgres(dataDir, secrets!.postgresPassword, {
				onRestarted: () => postgrestNow?.reconnect()
			});
			supervisors.push(postgres.supervisor);
			stops.push(postgres.stop);
			databaseUrl = postgres.databaseUrl;
		}

		let report = { applied: [] as string[], seeded: false };
		let demoInvite: string | null = null;
		if (databaseUrl) {
			const seed = config.LOAD_DEMO_DATA === 'true' || (config.LOAD_DEMO_DATA === 'auto' && embeddedDatabase);
			report = await migrate(databaseUrl, { supabaseDir: resolve(projectDir, 'supabase'), seed });
			if (seed) demoInvite = await demoInviteCode(databaseUrl, authSecret);
		}

		if (config.SUPABASE_URL) {
			return {
				env: {
					SUPABASE_URL: config.SUPABASE_URL,
					SUPABASE_PUBLISHABLE_KEY: (config.SUPABASE_PUBLISHABLE_KEY ?? config.SUPABASE_ANON_KEY)!,
					SUPABASE_SECRET_KEY: (config.SUPABASE_SECRET_KEY ?? config.SUPABASE_SERVICE_ROLE_KEY)!,
					...signerEnv(config.DATA_API_SIGNING_KEY ?? config.SUPABASE_JWT_SECRET!),
					AUTH_SECRET: authSecret,
					DATABASE_URL: databaseUrl,
					...vapid
				},
				started: { postgres: embeddedDatabase, postgrest: false, migrationsApplied: report.applied, seeded: report.seeded },
				demoInviteCode: demoInvite,
				quiesce,
				stop
			};
		}

		// PostgREST trusts the app's public key (a JWKS), as Supabase's Data API trusts a
		// third-party issuer; a legacy shared secret still works where one is configured.
		const signer = config.DATA_API_SIGNING_KEY ?? config.SUPABASE_JWT_SECRET ?? secrets!.dataApiSigningKey;
		const jwtSecret = isSigningKey(signer) ? JSON.stringify(await jwksOf(signer)) : signer;
		const authenticatorUri = await prepareAuthenticator(databaseUrl!);
		const postgrest = await supervise({
			name: 'PostgREST',
			// A restart keeps the first port, so the gateway's upstream address stays right.
			launch: async () => (postgrestNow = await startPostgrest({ dbUri: authenticatorUri, jwtSecret, port: postgrestNow?.port }))
		});
		supervisors.push(postgrest);
		stops.push(postgrest.stop);
		const anonToken = await signDataApiToken(signer, { role: 'anon' }, TEN_YEARS);
		const serviceToken = await signDataApiToken(signer, { role: 'service_role' }, TEN_YEARS);
		// Supabase's new API keys where the stack made its own secrets; else tokens as keys.
		const apiKeys = secrets ? { publishable: secrets.publishableKey, secret: secrets.secretKey, anonToken, serviceToken } : undefined;
		const gateway = await startGateway(postgrestNow!.url, apiKeys);
		stops.push(gateway.stop);

		return {
			env: {
				SUPABASE_URL: gateway.url,
				SUPABASE_PUBLISHABLE_KEY: apiKeys?.publishable ?? anonToken,
				SUPABASE_SECRET_KEY: apiKeys?.secret ?? serviceToken,
				...signerEnv(signer),
				AUTH_SECRET: authSecret,
				DATABASE_URL: databaseUrl,
				...vapid
			},
			started: { postgres: embeddedDatabase, postgrest: true, migrationsApplied: report.applied, seeded: report.seeded },
			demoInviteCode: demoInvite,
			quiesce,
			stop
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * PostgREST logs in as `authenticator` and switches to `anon`/`authenticated` per request.
 * When Buurtbord created that role, it gets a fresh password on every start; a role that
 * Supabase (or an operator) made is never touched.
 */
async function prepareAuthenticator(databaseUrl: string): Promise<string> {
	const client = new pg.Client({ connectionString: databaseUrl });
	client.on('error', () => {});
	await client.connect();
	try {
		const { rows } = await client.query<{ ours: boolean }>(
			`select coalesce(shobj_description(oid, 'pg_authid') = 'created by buurtbord', false) as ours
			 from pg_roles where rolname = 'authenticator'`
		);
		if (!rows[0]?.ours) {
			throw new Error(
				'The database has its own `authenticator` role; set SUPABASE_URL and its keys instead of running PostgREST here.'
			);
		}
		const password = randomBytes(24).toString('base64url');
		await client.query(`alter role authenticator with login password '${password}'`);
		const uri = new URL(databaseUrl);
		uri.username = 'authenticator';
		uri.password = password;
		return uri.toString();
	} finally {
		await client.end();
	}
}

/** The variable that carries a token signer: a private key, or a legacy shared secret. */
function signerEnv(signer: string): Pick<StackEnv, 'DATA_API_SIGNING_KEY' | 'SUPABASE_JWT_SECRET'> {
	return isSigningKey(signer) ? { DATA_API_SIGNING_KEY: signer } : { SUPABASE_JWT_SECRET: signer };
}

/** Makes the stack's endpoints and keys the process's configuration. */
export function exportStackEnv(env: StackEnv) {
	for (const [key, value] of Object.entries(env)) {
		if (value !== undefined) process.env[key] = value;
	}
}
