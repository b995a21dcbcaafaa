-- Foundation: neighbourhoods, members, activities (recurring series) and their gatherings.
-- Row-level security is enabled on every table here; the Data API roles (anon,
-- authenticated, service_role) get only the privileges listed below, and the policies
-- decide which rows.

create type public.activity_kind as enum (
	'shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'
);
create type public.activity_status as enum ('active', 'paused', 'ended');
create type public.gathering_status as enum ('scheduled', 'cancelled');
create type public.neighbourhood_role as enum ('member', 'coordinator');

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

-- Neighbourhood ----------------------------------------------------------------------------

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

-- Member -----------------------------------------------------------------------------------
-- A person; `id` is the `sub` of their Data API tokens, so policies compare it with auth.uid().

create table public.member (
	id uuid primary key default gen_random_uuid(),
	display_name text not null check (length(btrim(display_name)) between 1 and 60),
	locale text not null default 'nl' check (locale in ('nl', 'en')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
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

-- Activity ---------------------------------------------------------------------------------
-- A recurring series. The schedule is an RRULE (without DTSTART) whose first occurrence is
-- `schedule_starts_at` in local wall-clock time in `schedule_time_zone`, so gatherings keep
-- their local time across daylight-saving changes.

create table public.activity (
	id uuid primary key default gen_random_uuid(),
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	title text not null check (length(btrim(title)) between 1 and 120),
	kind public.activity_kind not null default 'other',
	description text not null default '' check (length(description) <= 4000),
	place_name text not null default '' check (length(place_name) <= 200),
	place_address text not null default '' check (length(place_address) <= 300),
	schedule_rrule text not null
		check (schedule_rrule ~ '^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$'
			and length(schedule_rrule) <= 300),
	schedule_starts_at timestamp not null,
	schedule_time_zone text not null default 'Europe/Amsterdam'
		check (public.is_time_zone(schedule_time_zone)),
	duration_minutes integer not null check (duration_minutes between 5 and 24 * 60),
	capacity integer check (capacity between 1 and 500),
	status public.activity_status not null default 'active',
	created_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
alter table public.activity enable row level security;
create index activity_neighbourhood_idx on public.activity (neighbourhood_id);
create trigger activity_touch before update on public.activity
	for each row execute function public.touch_updated_at();

create table public.activity_host (
	activity_id uuid not null references public.activity on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	added_at timestamptz not null default now(),
	primary key (activity_id, member_id)
);
alter table public.activity_host enable row level security;
create index activity_host_member_idx on public.activity_host (member_id);

-- Gathering --------------------------------------------------------------------------------
-- One dated occurrence. `occurrence_starts_at` is the slot in the series it stands for and
-- never changes (calendar feeds key on it), even when the gathering is moved.

create table public.gathering (
	id uuid primary key default gen_random_uuid(),
	activity_id uuid not null references public.activity on delete cascade,
	occurrence_starts_at timestamptz not null,
	starts_at timestamptz not null,
	ends_at timestamptz not null,
	status public.gathering_status not null default 'scheduled',
	cancellation_reason text check (length(cancellation_reason) <= 500),
	place_name text check (length(place_name) <= 200),
	place_address text check (length(place_address) <= 300),
	sequence integer not null default 0,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (activity_id, occurrence_starts_at),
	check (ends_at > starts_at)
);
alter table public.gathering enable row level security;
create index gathering_starts_at_idx on public.gathering (starts_at);

-- Calendar clients need SEQUENCE to grow whenever time, place or status changes.
create function public.gathering_bump_sequence() returns trigger
language plpgsql
as $$
begin
	if (new.starts_at, new.ends_at, new.status, new.place_name, new.place_address)
		is distinct from (old.starts_at, old.ends_at, old.status, old.place_name, old.place_address) then
		new.sequence := old.sequence + 1;
	end if;
	new.updated_at := now();
	return new;
end
$$;
create trigger gathering_sequence before update on public.gathering
	for each row execute function public.gathering_bump_sequence();

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

create function public.is_activity_host(activity uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.activity_host h
		where h.activity_id = activity and h.member_id = auth.uid()
	)
$$;

-- Whoever creates an activity hosts it: an activity never starts without a host.
create function public.activity_add_creator_as_host() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.created_by is not null then
		insert into public.activity_host (activity_id, member_id) values (new.id, new.created_by)
		on conflict do nothing;
	end if;
	return new;
end
$$;
create trigger activity_creator_hosts after insert on public.activity
	for each row execute function public.activity_add_creator_as_host();

revoke execute on function public.is_neighbourhood_member(uuid), public.is_neighbourhood_coordinator(uuid),
	public.is_activity_host(uuid), public.activity_add_creator_as_host() from public;
grant execute on function public.is_neighbourhood_member(uuid), public.is_neighbourhood_coordinator(uuid),
	public.is_activity_host(uuid) to anon, authenticated, service_role;

-- Privileges: what each Data API role may attempt at all -------------------------------------

grant select on public.neighbourhood, public.activity, public.activity_host, public.gathering
	to anon, authenticated;
grant update (name, description) on public.neighbourhood to authenticated;
grant select on public.member to authenticated;
grant update (display_name, locale) on public.member to authenticated;
grant select on public.neighbourhood_member to authenticated;
grant insert (neighbourhood_id, title, kind, description, place_name, place_address, schedule_rrule,
	schedule_starts_at, schedule_time_zone, duration_minutes, capacity, created_by)
	on public.activity to authenticated;
grant update (title, kind, description, place_name, place_address, capacity, status)
	on public.activity to authenticated;
grant update (starts_at, ends_at, status, cancellation_reason, place_name, place_address)
	on public.gathering to authenticated;
grant all on all tables in schema public to service_role;

-- Policies: which rows ---------------------------------------------------------------------

-- The public agenda: anyone may see neighbourhoods, activities and their gatherings.
create policy neighbourhood_read on public.neighbourhood for select to anon, authenticated using (true);
create policy neighbourhood_coordinator_update on public.neighbourhood for update to authenticated
	using (public.is_neighbourhood_coordinator(id)) with check (public.is_neighbourhood_coordinator(id));

-- A member sees and edits only their own record for now; names of fellow attendees come
-- with the boards, through their own rules.
create policy member_read_own on public.member for select to authenticated using (id = auth.uid());
create policy member_update_own on public.member for update to authenticated
	using (id = auth.uid()) with check (id = auth.uid());

create policy neighbourhood_member_read on public.neighbourhood_member for select to authenticated
	using (member_id = auth.uid() or public.is_neighbourhood_coordinator(neighbourhood_id));

create policy activity_read on public.activity for select to anon, authenticated using (true);
create policy activity_create on public.activity for insert to authenticated
	with check (created_by = auth.uid() and public.is_neighbourhood_member(neighbourhood_id));
create policy activity_host_update on public.activity for update to authenticated
	using (public.is_activity_host(id)) with check (public.is_activity_host(id));

create policy activity_host_read on public.activity_host for select to anon, authenticated using (true);

create policy gathering_read on public.gathering for select to anon, authenticated using (true);
create policy gathering_host_update on public.gathering for update to authenticated
	using (public.is_activity_host(activity_id)) with check (public.is_activity_host(activity_id));
