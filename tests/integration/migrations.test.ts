import { randomUUID } from 'node:crypto';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { listMigrations, migrate } from '../../src/lib/server/stack/migrate.ts';
import { adminDb, closeAdminDb, withClient } from './fixtures.ts';

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

/** A copy of supabase/ to edit. */
async function copyOfSupabaseDir() {
	const dir = await mkdtemp(join(tmpdir(), 'bb-supabase-'));
	await cp(supabaseDir, dir, { recursive: true });
	return dir;
}

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

	it('refuse to start, naming the file, when an applied migration was edited; pass when none was', async () => {
		const db = await freshDatabase();
		const dir = await copyOfSupabaseDir();
		const files = await listMigrations(dir);
		const edited = files[3]!;
		await migrate(db.url, { supabaseDir: dir, seed: false });
		expect((await migrate(db.url, { supabaseDir: dir, seed: false })).applied).toEqual([]);

		await appendFile(edited.path, '\n-- one more line\n');
		const refusal = new RegExp(`supabase/migrations/${edited.version}_${edited.name}\\.sql changed after it was applied`);
		await expect(migrate(db.url, { supabaseDir: dir, seed: false })).rejects.toThrow(refusal);

		// Migrations applied before checksums were kept: compared with the text the app recorded.
		await withClient(db.url, (client) => client.query('delete from supabase_migrations.buurtbord_checksums'));
		await expect(migrate(db.url, { supabaseDir: dir, seed: false })).rejects.toThrow(refusal);
		await withClient(db.url, (client) =>
			client.query('update supabase_migrations.schema_migrations set statements = null where version = $1', [edited.version])
		);
		// Nothing to compare with: its checksum is recorded on first sight, and kept from then on.
		expect((await migrate(db.url, { supabaseDir: dir, seed: false })).applied).toEqual([]);
		const { rows } = await withClient(db.url, (client) => client.query('select version from supabase_migrations.buurtbord_checksums order by version'));
		expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
		await appendFile(edited.path, '-- and another\n');
		await expect(migrate(db.url, { supabaseDir: dir, seed: false })).rejects.toThrow(refusal);
	});

	it('refuse to start when an applied migration is no longer in the folder', async () => {
		const db = await freshDatabase();
		const dir = await copyOfSupabaseDir();
		const files = await listMigrations(dir);
		await migrate(db.url, { supabaseDir: dir, seed: false });
		await rm(files.at(-1)!.path);
		await expect(migrate(db.url, { supabaseDir: dir, seed: false })).rejects.toThrow(
			new RegExp(`Migration ${files.at(-1)!.version}_${files.at(-1)!.name} was applied to this database but supabase/migrations/ no longer has it`)
		);
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
