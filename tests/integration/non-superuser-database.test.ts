import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/lib/server/stack/embedded-postgres.ts';
import { listMigrations, migrate } from '../../src/lib/server/stack/migrate.ts';
import { startStack, type Stack } from '../../src/lib/server/stack/index.ts';

/**
 * DATABASE_URL may name any PostgreSQL 15+ where the app's user is not a superuser (a managed
 * database, say). Creating `service_role`, which bypasses RLS, takes a superuser: the app then
 * stops and says exactly what an administrator must run; once that is done it starts.
 */
let cluster: RunningPostgres;
let stack: Stack | undefined;
const dirs: string[] = [];
const supabaseDir = resolve('supabase');
const password = 'an-app-password-that-is-long-enough';

async function asSuperuser(sql: string) {
	const client = new pg.Client({ connectionString: cluster.databaseUrl });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

beforeAll(async () => {
	const dir = await mkdtemp(join(tmpdir(), 'buurtbord-nosuper-db-'));
	dirs.push(dir);
	cluster = await startEmbeddedPostgres(dir, 'a-superuser-password-that-is-long-enough');
	await asSuperuser(`create role app login createdb password '${password}'`);
	await asSuperuser('create database appdb owner app');
}, 60_000);

afterAll(async () => {
	await stack?.stop();
	await cluster?.stop();
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function appUrl() {
	const url = new URL(cluster.databaseUrl);
	url.username = 'app';
	url.password = password;
	url.pathname = '/appdb';
	return url.toString();
}

describe('a PostgreSQL where the app is not a superuser', () => {
	it('stops with what an administrator must create, then starts once it exists', async () => {
		const refusal: Error = await migrate(appUrl(), { supabaseDir, seed: false }).then(
			() => {
				throw new Error('migrated without the roles');
			},
			(error: Error) => error
		);
		expect(refusal.message).toContain('"app" may not create the roles the Data API needs (missing: anon, authenticated, service_role, authenticator)');
		expect(refusal.message).toContain('create role service_role nologin inherit bypassrls;');

		// The administrator runs exactly what the message lists.
		const statements = refusal.message.split('\n').slice(1).join('\n');
		await asSuperuser(statements);

		const report = await migrate(appUrl(), { supabaseDir, seed: true });
		expect(report.applied).toHaveLength((await listMigrations(supabaseDir)).length);

		const appDir = await mkdtemp(join(tmpdir(), 'buurtbord-nosuper-app-'));
		dirs.push(appDir);
		stack = await startStack(parseConfig({ DATABASE_URL: appUrl(), BUURTBORD_DATA_DIR: appDir, LOAD_DEMO_DATA: 'true' }));
		const response = await fetch(`${stack.env.SUPABASE_URL}/rest/v1/neighbourhood?select=slug`, {
			headers: { apikey: stack.env.SUPABASE_PUBLISHABLE_KEY, authorization: `Bearer ${stack.env.SUPABASE_PUBLISHABLE_KEY}` }
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual([{ slug: 'de-linde' }]);
	}, 120_000);
});
