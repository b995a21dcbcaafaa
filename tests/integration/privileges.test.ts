import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../../src/lib/server/stack/migrate.ts';
import { schemaFingerprint } from '../../scripts/schema-fingerprint.ts';
import { adminDb, closeAdminDb, withClient } from './fixtures.ts';

/**
 * Privileges are explicit, never inherited from a database's defaults. Some Supabase databases
 * grant every new table, sequence and function in `public` to anon, authenticated and
 * service_role (the dashboard's "default privileges for new entities", self-hosted Supabase, a
 * local `supabase start` with `auto_expose_new_tables`); the embedded stack grants nothing by
 * default. The migrations must leave the same privileges on both.
 */
const supabaseDir = resolve('supabase');

async function freshDatabase(prepare?: string) {
	const name = `privileges_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
	await adminDb().query(`create database ${name}`);
	const url = new URL(inject('stackEnv').DATABASE_URL);
	url.pathname = `/${name}`;
	if (prepare) await withClient(url.toString(), (client) => client.query(prepare));
	return url.toString();
}

// What such a Supabase database has: defaults for the role that runs the migrations, both in
// `public` and for every schema.
const GRANTS_BY_DEFAULT = ['', ' in schema public']
	.flatMap((where) => [
		`alter default privileges${where} grant all on tables to anon, authenticated, service_role;`,
		`alter default privileges${where} grant all on sequences to anon, authenticated, service_role;`,
		`alter default privileges${where} grant all on functions to anon, authenticated, service_role;`
	])
	.join('\n');

/** The privileges and objects of a database, without its own default privileges. */
async function objectsAndPrivileges(url: string) {
	const fingerprint = await withClient(url, (client) => schemaFingerprint(client));
	return fingerprint
		.split('\n')
		.filter((line) => !line.startsWith('default_acl '))
		.join('\n');
}

afterAll(closeAdminDb);

describe('privileges', () => {
	it('are the same on a database that grants everything by default as on one that grants nothing', async () => {
		const closed = await freshDatabase();
		const open = await freshDatabase(GRANTS_BY_DEFAULT);
		await migrate(closed, { supabaseDir, seed: false });
		await migrate(open, { supabaseDir, seed: false });

		const [expected, actual] = await Promise.all([objectsAndPrivileges(closed), objectsAndPrivileges(open)]);
		const extra = actual.split('\n').filter((line) => !expected.includes(line));
		expect(extra, 'privileges the defaults added').toEqual([]);
		expect(actual).toBe(expected);
	});

	it('leave anon no function it could use to act as someone else, and nobody TRUNCATE (which ignores RLS), whatever the defaults', async () => {
		const open = await freshDatabase(GRANTS_BY_DEFAULT);
		await migrate(open, { supabaseDir, seed: false });
		const executable = await withClient(open, async (client) => {
			const { rows } = await client.query<{ fn: string }>(
				`select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				 where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'execute')
				   and p.proname in ('export_member', 'create_return_link', 'use_return_link', 'forget_member', 'claim_notices',
				                     'personal_feed_state', 'join_with_invite', 'rebalance_gathering', 'insert_default_slots')`
			);
			return rows.map((r) => r.fn);
		});
		expect(executable).toEqual([]);
		const truncatable = await withClient(open, async (client) => {
			const { rows } = await client.query<{ t: string }>(
				`select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
				 where n.nspname = 'public' and c.relkind = 'r'
				   and (has_table_privilege('anon', c.oid, 'truncate') or has_table_privilege('authenticated', c.oid, 'truncate')
				        or has_table_privilege('service_role', c.oid, 'truncate'))`
			);
			return rows.map((r) => r.t);
		});
		expect(truncatable).toEqual([]);
	});
});
