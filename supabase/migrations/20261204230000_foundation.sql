-- Foundation: neighbourhoods, their members and roles, and the helpers every later
-- migration uses. Row-level security is enabled on every table; the Data API roles (anon,
-- authenticated, service_role) get only the privileges granted beside each table, and the
-- policies decide which rows.

-- Every object starts closed, whatever the database grants by default: some Supabase databases
-- grant each new table, sequence and function to anon, authenticated and service_role (the
-- dashboard's "default privileges for new entities", self-hosted Supabase, a local `supabase
-- start` with `auto_expose_new_tables`). Closed here, for every schema and for `public`, each
-- object gets exactly the privileges granted beside it. (PostgreSQL's own EXECUTE for PUBLIC on
-- new functions stays: the functions that must not have it revoke it beside them.)
alter default privileges revoke all on tables from anon, authenticated, service_role;
alter default privileges revoke all on sequences from anon, authenticated, service_role;
alter default privileges revoke all on functions from anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated, service_role;
alter default privileges in schema public revoke all on sequences from anon, authenticated, service_role;
alter default privileges in schema public revoke all on functions from anon, authenticated, service_role;

create type public.neighbourhood_role as enum ('member', 'coordinator');

-- Shared helpers -----------------------------------------------------------------------------

-- An IANA zone name PostgreSQL knows, e.g. Europe/Amsterdam.
create function public.is_time_zone(zone text) returns boolean
language plpgsql immutable
as $$
begin
	perform now() at time zone zone;
	return true;
exception when others then
	return false;
end
$$;

create function public.touch_updated_at() returns trigger
language plpgsql
as $$
begin
	new.updated_at := now();
	return new;
end
$$;

-- Tables -------------------------------------------------------------------------------------

create table public.neighbourhood (
	id uuid primary key default gen_random_uuid(),
	slug text not null unique
		check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 60),
	name text not null check (length(btrim(name)) between 1 and 120),
	description text not null default '' check (length(description) <= 2000),
	time_zone text not null default 'Europe/Amsterdam' check (public.is_time_zone(time_zone)),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
alter table public.neighbourhood enable row level security;
create trigger neighbourhood_touch before update on public.neighbourhood
	for each row execute function public.touch_updated_at();

-- A person; `id` is the `sub` of their Data API tokens, so policies compare it with auth.uid().
-- `last_seen_at` is for forgetting guests who never came back (account migration).
create table public.member (
	id uuid primary key default gen_random_uuid(),
	display_name text not null check (length(btrim(display_name)) between 1 and 60),
	locale text not null default 'nl' check (locale in ('nl', 'en')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	last_seen_at timestamptz not null default now()
);
alter table public.member enable row level security;
create trigger member_touch before update on public.member
	for each row execute function public.touch_updated_at();

create table public.neighbourhood_member (
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	role public.neighbourhood_role not null default 'member',
	joined_at timestamptz not null default now(),
	primary key (neighbourhood_id, member_id)
);
alter table public.neighbourhood_member enable row level security;
create index neighbourhood_member_member_idx on public.neighbourhood_member (member_id);

-- Roles ----------------------------------------------------------------------------------------
-- Role checks used by policies. SECURITY DEFINER so that a policy on one table can look at
-- another without that table's policies applying recursively.

create function public.is_neighbourhood_member(neighbourhood uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.neighbourhood_member m
		where m.neighbourhood_id = neighbourhood and m.member_id = auth.uid()
	)
$$;

create function public.is_neighbourhood_coordinator(neighbourhood uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.neighbourhood_member m
		where m.neighbourhood_id = neighbourhood and m.member_id = auth.uid() and m.role = 'coordinator'
	)
$$;
revoke execute on function public.is_neighbourhood_member(uuid), public.is_neighbourhood_coordinator(uuid) from public;
grant execute on function public.is_neighbourhood_member(uuid), public.is_neighbourhood_coordinator(uuid)
	to anon, authenticated, service_role;

-- Privileges and policies ------------------------------------------------------------------------

-- The public agenda: anyone may see neighbourhoods; their coordinators edit them.
grant select on public.neighbourhood to anon, authenticated;
grant update (name, description) on public.neighbourhood to authenticated;
grant select, insert, update, delete on public.neighbourhood to service_role;
create policy neighbourhood_read on public.neighbourhood for select to anon, authenticated using (true);
create policy neighbourhood_coordinator_update on public.neighbourhood for update to authenticated
	using (public.is_neighbourhood_coordinator(id)) with check (public.is_neighbourhood_coordinator(id));

-- Only the columns the app shows are readable (not when a member was last seen or joined);
-- which rows: `member_read` in the boards migration, once fellow attendees exist. A member
-- edits only their own record.
grant select (id, display_name, locale) on public.member to authenticated;
grant update (display_name, locale) on public.member to authenticated;
grant select, insert, update, delete on public.member to service_role;
create policy member_update_own on public.member for update to authenticated
	using (id = (select auth.uid())) with check (id = (select auth.uid()));

-- A member sees their own memberships, coordinators those of their neighbourhood; a member
-- may leave a neighbourhood (their membership row), but not remove others.
grant select, delete on public.neighbourhood_member to authenticated;
grant select, insert, update, delete on public.neighbourhood_member to service_role;
create policy neighbourhood_member_read on public.neighbourhood_member for select to authenticated
	using (member_id = (select auth.uid()) or public.is_neighbourhood_coordinator(neighbourhood_id));
create policy neighbourhood_member_leave on public.neighbourhood_member for delete to authenticated
	using (member_id = (select auth.uid()));
