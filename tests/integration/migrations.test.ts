import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { listMigrations, migrate } from '../../src/lib/server/stack/migrate.ts';
import { adminDb, closeAdminDb } from './fixtures.ts';

const supabaseDir = resolve('supabase');

/** A fresh, empty database in the test cluster. */
async function freshDatabase() {
	const name = `migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
	await adminDb().query(`create database ${name}`);
	const url = new URL(inject('stackEnv').DATABASE_URL);
	url.pathname = `/${name}`;
	return { name, url: url.toString() };
}

afterAll(closeAdminDb);

describe('migrations', () => {
	it('apply on an empty database, then a second run applies nothing and fails nothing', async () => {
		const db = await freshDatabase();
		const files = await listMigrations(supabaseDir);

		const first = await migrate(db.url, { supabaseDir, seed: false });
		expect(first.applied).toEqual(files.map((f) => `${f.version}_${f.name}`));
		const second = await migrate(db.url, { supabaseDir, seed: false });
		expect(second.applied).toEqual([]);

		const client = new pg.Client({ connectionString: db.url });
		await client.connect();
		const { rows } = await client.query('select version, name from supabase_migrations.schema_migrations order by version');
		await client.end();
		expect(rows).toEqual(files.map((f) => ({ version: f.version, name: f.name })));
	});

	it('load the demo data only into a database without neighbourhoods', async () => {
		const db = await freshDatabase();
		expect((await migrate(db.url, { supabaseDir, seed: true })).seeded).toBe(true);
		expect((await migrate(db.url, { supabaseDir, seed: true })).seeded).toBe(false);
		const client = new pg.Client({ connectionString: db.url });
		await client.connect();
		const { rows } = await client.query<{ n: string }>('select count(*) as n from gathering where starts_at >= now()');
		await client.end();
		expect(Number(rows[0]!.n)).toBeGreaterThan(20);
	});

	it('leave row-level security enabled on every table in the public schema', async () => {
		const { rows } = await adminDb().query<{ relname: string; relrowsecurity: boolean }>(
			`select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'public' and c.relkind = 'r' order by 1`
		);
		expect(rows.length).toBeGreaterThanOrEqual(6);
		expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
	});

	it('provide what Supabase would: the API roles and auth.uid() reading the JWT claims', async () => {
		const { rows: roles } = await adminDb().query<{ rolname: string }>(
			`select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by 1`
		);
		expect(roles.map((r) => r.rolname)).toEqual(['anon', 'authenticated', 'authenticator', 'service_role']);

		const client = await adminDb().connect();
		try {
			await client.query('begin');
			const sub = randomUUID();
			await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub, role: 'authenticated' })]);
			const { rows } = await client.query('select auth.uid() as uid, auth.role() as role');
			expect(rows[0]).toEqual({ uid: sub, role: 'authenticated' });
		} finally {
			await client.query('rollback');
			client.release();
		}
	});

	it('refuse a migration file whose name is not in the Supabase CLI layout', async () => {
		const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
		const { tmpdir } = await import('node:os');
		const dir = await mkdtemp(resolve(tmpdir(), 'bb-mig-'));
		await mkdir(resolve(dir, 'migrations'));
		await writeFile(resolve(dir, 'migrations', 'add_things.sql'), 'select 1;');
		await expect(listMigrations(dir)).rejects.toThrow(/add_things\.sql: name must be/);
	});
});
