/**
 * What a Supabase project provides and a plain PostgreSQL lacks: the API roles and the
 * `auth.uid()` / `auth.jwt()` / `auth.role()` functions that RLS policies use. Every step
 * runs only if the thing is missing (and grants only on what it made), so on Supabase itself
 * this changes nothing.
 * The functions read the claims exactly as PostgREST 12 sets them (`request.jwt.claims`).
 */
export const SUPABASE_COMPAT_SQL = /* sql */ `
do $$
begin
	-- As Supabase has them today (INHERIT since its migration 20230529180330), with its time limits per request: 3 s for visitors, 8 s for
	-- members and for the Data API's own connections (PostgREST applies a role's settings).
	if not exists (select from pg_roles where rolname = 'anon') then
		create role anon nologin inherit;
		alter role anon set statement_timeout = '3s';
	end if;
	if not exists (select from pg_roles where rolname = 'authenticated') then
		create role authenticated nologin inherit;
		alter role authenticated set statement_timeout = '8s';
	end if;
	if not exists (select from pg_roles where rolname = 'service_role') then
		create role service_role nologin inherit bypassrls;
	end if;
	if not exists (select from pg_roles where rolname = 'authenticator') then
		create role authenticator login noinherit;
		alter role authenticator set statement_timeout = '8s';
		comment on role authenticator is 'created by buurtbord';
		grant anon, authenticated, service_role to authenticator;
	end if;
end
$$;

create schema if not exists auth;
grant usage on schema public to anon, authenticated, service_role;

-- Shaped as Supabase Auth defines them today (its migration 20240624145325): the claims as
-- PostgREST 12 sets them, an empty setting read as missing, and an empty search path.
do $$
begin
	if to_regprocedure('auth.jwt()') is null then
		create function auth.jwt() returns jsonb
		language sql stable
		set search_path to ''
		as $f$
			select coalesce(
				nullif(current_setting('request.jwt.claim', true), ''),
				nullif(current_setting('request.jwt.claims', true), '')
			)::jsonb
		$f$;
	end if;
	if to_regprocedure('auth.uid()') is null then
		create function auth.uid() returns uuid
		language sql stable
		set search_path to ''
		as $f$
			select coalesce(
				nullif(current_setting('request.jwt.claim.sub', true), ''),
				(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
			)::uuid
		$f$;
	end if;
	if to_regprocedure('auth.role()') is null then
		create function auth.role() returns text
		language sql stable
		set search_path to ''
		as $f$
			select coalesce(
				nullif(current_setting('request.jwt.claim.role', true), ''),
				(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
			)::text
		$f$;
	end if;
end
$$;
-- Grants only on what Buurtbord made: where Supabase owns \`auth\`, it has granted already.
do $$
begin
	if (select pg_get_userbyid(nspowner) = current_user from pg_namespace where nspname = 'auth') then
		grant usage on schema auth to anon, authenticated, service_role;
	end if;
	if (select bool_and(pg_get_userbyid(proowner) = current_user) from pg_proc
	    where oid in ('auth.jwt()'::regprocedure, 'auth.uid()'::regprocedure, 'auth.role()'::regprocedure)) then
		grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
	end if;
end
$$;
`;
