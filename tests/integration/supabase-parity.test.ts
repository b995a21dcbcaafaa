import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adminDb, closeAdminDb } from './fixtures.ts';

/**
 * On a plain PostgreSQL the app creates what Supabase provides (src/lib/server/stack/supabase-compat.ts).
 * Those stand-ins answer as Supabase's own do, for the settings PostgREST makes per request.
 */
afterAll(closeAdminDb);

async function authAs(settings: Record<string, string>) {
	const client = await adminDb().connect();
	try {
		await client.query('begin');
		for (const [name, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [name, value]);
		const { rows } = await client.query<{ uid: string | null; role: string | null; jwt: unknown }>(
			'select auth.uid() as uid, auth.role() as role, auth.jwt() as jwt'
		);
		await client.query('rollback');
		return rows[0]!;
	} finally {
		client.release();
	}
}

describe('Supabase stand-ins', () => {
	it('read nobody when no token was given', async () => {
		expect(await authAs({})).toEqual({ uid: null, role: null, jwt: null });
		expect(await authAs({ 'request.jwt.claims': '' })).toEqual({ uid: null, role: null, jwt: null });
	});

	it("read the person and role from PostgREST's claims", async () => {
		const sub = randomUUID();
		const claims = { sub, role: 'authenticated', aud: 'authenticated' };
		expect(await authAs({ 'request.jwt.claims': JSON.stringify(claims) })).toEqual({ uid: sub, role: 'authenticated', jwt: claims });
	});

	it('take an empty single claim as missing, as Supabase does', async () => {
		const sub = randomUUID();
		const answer = await authAs({ 'request.jwt.claim.sub': '', 'request.jwt.claims': JSON.stringify({ sub, role: 'anon' }) });
		expect(answer).toMatchObject({ uid: sub, role: 'anon' });
	});

	it('are stable and search no schema implicitly', async () => {
		const { rows } = await adminDb().query<{ name: string; volatility: string; config: string[] | null }>(
			`select p.proname as name, p.provolatile as volatility, p.proconfig as config
			 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname = 'auth' and p.proname in ('uid', 'role', 'jwt') order by 1`
		);
		expect(rows).toEqual(['jwt', 'role', 'uid'].map((name) => ({ name, volatility: 's', config: ['search_path=""'] })));
	});

	it("give the Data API's roles Supabase's time limits per request and its inheritance", async () => {
		const { rows } = await adminDb().query<{ role: string; config: string[] | null; inherits: boolean }>(
			`select rolname as role, rolconfig as config, rolinherit as inherits from pg_roles
			 where rolname in ('anon', 'authenticated', 'authenticator') order by 1`
		);
		expect(rows).toEqual([
			{ role: 'anon', config: ['statement_timeout=3s'], inherits: true },
			{ role: 'authenticated', config: ['statement_timeout=8s'], inherits: true },
			{ role: 'authenticator', config: ['statement_timeout=8s'], inherits: false }
		]);
	});
});
