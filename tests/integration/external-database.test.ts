import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/lib/server/stack/embedded-postgres.ts';
import { seedFiles } from '../../src/lib/server/stack/migrate.ts';
import { startStack, type Stack } from '../../src/lib/server/stack/index.ts';

/**
 * With DATABASE_URL set, the app uses that PostgreSQL (here a separate cluster standing in
 * for a managed one) and starts only PostgREST in front of it.
 */
let external: RunningPostgres;
let stack: Stack;
const dirs: string[] = [];

beforeAll(async () => {
	const dbDir = await mkdtemp(join(tmpdir(), 'buurtbord-ext-db-'));
	const appDir = await mkdtemp(join(tmpdir(), 'buurtbord-ext-app-'));
	dirs.push(dbDir, appDir);
	external = await startEmbeddedPostgres(dbDir, 'an-external-password-that-is-long-enough');
	stack = await startStack(parseConfig({ DATABASE_URL: external.databaseUrl, BUURTBORD_DATA_DIR: appDir, LOAD_DEMO_DATA: 'true' }));
}, 60_000);

afterAll(async () => {
	await stack?.stop();
	await external?.stop();
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('an external PostgreSQL through DATABASE_URL', () => {
	it('is migrated and seeded, and served by an embedded PostgREST', async () => {
		expect(stack.started).toMatchObject({ postgres: false, postgrest: true, seeded: true });
		expect(stack.env.DATABASE_URL).toBe(external.databaseUrl);
		const response = await fetch(`${stack.env.SUPABASE_URL}/rest/v1/neighbourhood?select=slug`, {
			headers: { apikey: stack.env.SUPABASE_PUBLISHABLE_KEY, authorization: `Bearer ${stack.env.SUPABASE_PUBLISHABLE_KEY}` }
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual([{ slug: 'de-linde' }]);
		expect(stack.demoInviteCode).toMatch(/^[0-9A-Z]{10}$/);
	});
});

describe('supabase/config.toml', () => {
	it('names the seed files the app loads, as the Supabase CLI does', async () => {
		expect(await seedFiles(resolve('supabase'))).toEqual([resolve('supabase/seed.sql')]);
	});
});
