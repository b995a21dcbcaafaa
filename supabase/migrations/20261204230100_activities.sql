-- Activities and gatherings: everything a host fills in, the rules of hosting (co-hosts,
-- handover, never without a host, coordinators may step in), extra dates, keeping the
-- series' gatherings materialised in one transaction, and ideas collecting interest first.

create type public.activity_kind as enum (
	'shared_dinner', 'themed_evening', 'repair_cafe', 'coffee_morning', 'walk', 'other'
);
create type public.activity_status as enum ('active', 'paused', 'ended');
create type public.gathering_status as enum ('scheduled', 'cancelled');
create type public.cost_kind as enum ('free', 'pay_what_you_can', 'price');

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
	updated_at timestamptz not null default now(),
	-- What it costs.
	cost_kind public.cost_kind not null default 'free',
	price_cents integer check (price_cents between 1 and 100000),
	meal_included boolean not null default false,
	-- Where and for whom.
	map_url text check (map_url ~ '^https?://[^\s<>"]+$' and length(map_url) <= 500),
	accessibility_notes text not null default '' check (length(accessibility_notes) <= 500),
	languages text[] not null default '{nl}'
		check (cardinality(languages) between 1 and 8 and languages <@ array['nl','en','ar','tr','pl','uk','fr','de','es','so','ti','fa','ber','pap','zh']::text[]),
	wheelchair_accessible boolean not null default false,
	hearing_loop boolean not null default false,
	quiet_space boolean not null default false,
	child_friendly boolean not null default false,
	what_to_bring text not null default '' check (length(what_to_bring) <= 500),
	schedule_until date,
	-- The board's rules (boards migration): guests per person, and places kept free for
	-- first-timers until a set time before the gathering; after that anyone may have them.
	-- A full board of regulars should not be a newcomer's first sight.
	max_guests integer not null default 2 check (max_guests between 0 and 10),
	first_timer_places integer not null default 0 check (first_timer_places between 0 and 50),
	first_timer_release_hours integer not null default 24 check (first_timer_release_hours between 0 and 168),
	constraint activity_price_only_with_price check ((cost_kind = 'price') = (price_cents is not null))
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
-- never changes (calendar feeds key on it), even when the gathering is moved. An extra date
-- is not part of the series: editing the series never removes it.

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
	is_extra boolean not null default false,
	unique (activity_id, occurrence_starts_at),
	check (ends_at > starts_at)
);
alter table public.gathering enable row level security;
create index gathering_starts_at_idx on public.gathering (starts_at);
-- A neighbourhood's feed looks up its gatherings by end time.
-- A neighbourhood's feed looks up its gatherings by end time.
create index gathering_activity_ends_idx on public.gathering (activity_id, ends_at);

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

-- Who runs an activity ------------------------------------------------------------------------

create function public.is_activity_host(activity uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.activity_host h
		where h.activity_id = activity and h.member_id = auth.uid()
	)
$$;
revoke execute on function public.is_activity_host(uuid) from public;
grant execute on function public.is_activity_host(uuid) to anon, authenticated, service_role;

-- Who may run an activity: its hosts, and the coordinators of its neighbourhood (who can step
-- in when a host is away).
create function public.can_run_activity(p_activity uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select public.is_activity_host(p_activity) or exists (
		select 1 from public.activity a
		where a.id = p_activity and public.is_neighbourhood_coordinator(a.neighbourhood_id)
	)
$$;
revoke execute on function public.can_run_activity(uuid) from public;
grant execute on function public.can_run_activity(uuid) to authenticated, service_role;

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
revoke execute on function public.activity_add_creator_as_host() from public;

-- Hosting ---------------------------------------------------------------------------------
-- Changes to hosts go through these functions only; they check who asks.

-- An activity that is running always has a host.
create function public.activity_keeps_a_host() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if exists (select 1 from public.activity a where a.id = old.activity_id and a.status = 'active')
		and not exists (select 1 from public.activity_host h where h.activity_id = old.activity_id) then
		raise exception 'the last host cannot leave a running activity: hand it over or pause it'
			using errcode = 'P0001', hint = 'last_host';
	end if;
	return null;
end
$$;
create constraint trigger activity_host_last after delete on public.activity_host
	deferrable initially deferred
	for each row execute function public.activity_keeps_a_host();

-- The public agenda: anyone may see activities, their hosts and their gatherings. Members
-- start activities; those who run one edit it and its gatherings, and add extra dates.

grant select on public.activity, public.activity_host, public.gathering to anon, authenticated;
grant insert (neighbourhood_id, title, kind, description, place_name, place_address, schedule_rrule,
	schedule_starts_at, schedule_time_zone, duration_minutes, capacity, created_by,
	cost_kind, price_cents, meal_included,
	map_url, accessibility_notes, languages, wheelchair_accessible, hearing_loop, quiet_space,
	child_friendly, what_to_bring, schedule_until,
	max_guests, first_timer_places, first_timer_release_hours),
	update (title, kind, description, place_name, place_address, capacity, status,
	cost_kind, price_cents, meal_included,
	map_url, accessibility_notes, languages, wheelchair_accessible, hearing_loop, quiet_space,
	child_friendly, what_to_bring, schedule_until, schedule_rrule, schedule_starts_at, schedule_time_zone,
	duration_minutes, max_guests, first_timer_places, first_timer_release_hours)
	on public.activity to authenticated;
grant update (starts_at, ends_at, status, cancellation_reason, place_name, place_address)
	on public.gathering to authenticated;
grant insert (activity_id, occurrence_starts_at, starts_at, ends_at, place_name, place_address, is_extra)
	on public.gathering to authenticated;
grant select, insert, update, delete on public.activity, public.activity_host, public.gathering to service_role;

create policy activity_read on public.activity for select to anon, authenticated using (true);
create policy activity_create on public.activity for insert to authenticated
	with check (created_by = (select auth.uid()) and public.is_neighbourhood_member(neighbourhood_id));
create policy activity_run_update on public.activity for update to authenticated
	using (public.can_run_activity(id)) with check (public.can_run_activity(id));
create policy activity_host_read on public.activity_host for select to anon, authenticated using (true);
create policy gathering_read on public.gathering for select to anon, authenticated using (true);
create policy gathering_run_update on public.gathering for update to authenticated
	using (public.can_run_activity(activity_id)) with check (public.can_run_activity(activity_id));
create policy gathering_extra_insert on public.gathering for insert to authenticated
	with check (is_extra and public.can_run_activity(activity_id));

-- Hosting ---------------------------------------------------------------------------------
-- Changes to hosts go through these functions only; they check who asks.

-- Members of the activity's neighbourhood a host may pick as co-host.
create function public.cohost_candidates(p_activity uuid)
returns table (member_id uuid, display_name text)
language sql stable security definer set search_path = ''
as $$
	select m.id, m.display_name
	from public.activity a
	join public.neighbourhood_member nm on nm.neighbourhood_id = a.neighbourhood_id
	join public.member m on m.id = nm.member_id
	where a.id = p_activity and public.can_run_activity(p_activity)
		and not exists (select 1 from public.activity_host h where h.activity_id = a.id and h.member_id = m.id)
	order by m.display_name
$$;

create function public.add_cohost(p_activity uuid, p_member uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not public.can_run_activity(p_activity) then
		raise exception 'only hosts add co-hosts' using errcode = '42501';
	end if;
	if not exists (
		select 1 from public.activity a join public.neighbourhood_member nm on nm.neighbourhood_id = a.neighbourhood_id
		where a.id = p_activity and nm.member_id = p_member
	) then
		raise exception 'a co-host must be a member of the neighbourhood' using errcode = 'P0001', hint = 'not_a_member';
	end if;
	insert into public.activity_host (activity_id, member_id) values (p_activity, p_member) on conflict do nothing;
end
$$;

-- Removes a host (a host may remove themselves; the last host cannot leave a running activity).
create function public.remove_host(p_activity uuid, p_member uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not public.can_run_activity(p_activity) then
		raise exception 'only hosts remove hosts' using errcode = '42501';
	end if;
	delete from public.activity_host where activity_id = p_activity and member_id = p_member;
end
$$;

-- Hands the activity over: the other member becomes host and the one asking steps down.
create function public.hand_over_activity(p_activity uuid, p_to uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.add_cohost(p_activity, p_to);
	delete from public.activity_host where activity_id = p_activity and member_id = auth.uid();
end
$$;

revoke execute on function public.cohost_candidates(uuid), public.add_cohost(uuid, uuid),
	public.remove_host(uuid, uuid), public.hand_over_activity(uuid, uuid) from public;
grant execute on function public.cohost_candidates(uuid), public.add_cohost(uuid, uuid),
	public.remove_host(uuid, uuid), public.hand_over_activity(uuid, uuid) to authenticated;

-- Hosts' display names are public on welcome pages and posters ("hosted by Fatima");
-- nothing else about them is (their ids were already public through activity_host).
create function public.activity_host_names(p_activity_id uuid)
returns table (member_id uuid, display_name text)
language sql stable security definer set search_path = ''
as $$
	select m.id, m.display_name
	from public.activity_host h join public.member m on m.id = h.member_id
	where h.activity_id = p_activity_id
	order by h.added_at
$$;
revoke execute on function public.activity_host_names(uuid) from public;
grant execute on function public.activity_host_names(uuid) to anon, authenticated, service_role;

-- Materialising the series -----------------------------------------------------------------
-- The app computes the series' occurrences (rrule, in local wall-clock time) and hands them
-- over; this adds the missing ones and removes future ones that left the series — but never
-- an extra date, a gathering changed on its own (moved or cancelled), or one that people
-- signed up or pledged for (attendance and slots come with the boards migration; plpgsql
-- resolves them when called). Those are returned so the host can decide.

create function public.save_gatherings(p_activity uuid, p_occurrences jsonb, p_from timestamptz)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_added integer;
	v_removed integer;
	v_kept jsonb;
begin
	if not (public.can_run_activity(p_activity) or auth.role() = 'service_role') then
		raise exception 'only hosts change the series' using errcode = '42501';
	end if;
	if jsonb_array_length(p_occurrences) > 400 then
		raise exception 'too many dates at once' using errcode = '22023';
	end if;
	-- Serialise changes to one series.
	perform 1 from public.activity where id = p_activity for update;

	with wanted as (
		select (o->>'occurrence_starts_at')::timestamptz as occurrence_starts_at,
		       (o->>'starts_at')::timestamptz as starts_at,
		       (o->>'ends_at')::timestamptz as ends_at
		from jsonb_array_elements(p_occurrences) o
	), gone as (
		delete from public.gathering g
		where g.activity_id = p_activity and g.starts_at >= p_from
			and not g.is_extra and g.sequence = 0
			and g.occurrence_starts_at not in (select occurrence_starts_at from wanted)
			-- Never a gathering people answered or pledged for: the host decides about those.
			and not exists (select 1 from public.attendance a where a.gathering_id = g.id and a.status in ('going', 'waitlist', 'maybe'))
			and not exists (select 1 from public.gathering_slot s join public.slot_pledge p on p.slot_id = s.id where s.gathering_id = g.id)
		returning 1
	)
	select count(*) into v_removed from gone;

	insert into public.gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
	select p_activity, w.occurrence_starts_at, w.starts_at, w.ends_at
	from (
		select (o->>'occurrence_starts_at')::timestamptz as occurrence_starts_at,
		       (o->>'starts_at')::timestamptz as starts_at,
		       (o->>'ends_at')::timestamptz as ends_at
		from jsonb_array_elements(p_occurrences) o
	) w
	on conflict (activity_id, occurrence_starts_at) do nothing;
	get diagnostics v_added = row_count;

	select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'starts_at', g.starts_at, 'status', g.status)), '[]')
	into v_kept
	from public.gathering g
	where g.activity_id = p_activity and g.starts_at >= p_from and not g.is_extra
		and g.occurrence_starts_at not in (
			select (o->>'occurrence_starts_at')::timestamptz from jsonb_array_elements(p_occurrences) o
		);

	return jsonb_build_object('added', v_added, 'removed', v_removed, 'kept', v_kept);
end
$$;
revoke execute on function public.save_gatherings(uuid, jsonb, timestamptz) from public;
grant execute on function public.save_gatherings(uuid, jsonb, timestamptz) to authenticated, service_role;

create table public.idea (
	id uuid primary key default gen_random_uuid(),
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	title text not null check (length(btrim(title)) between 1 and 120),
	description text not null default '' check (length(description) <= 2000),
	kind public.activity_kind not null default 'other',
	proposed_by uuid references public.member on delete set null,
	activity_id uuid references public.activity on delete set null,
	created_at timestamptz not null default now()
);
alter table public.idea enable row level security;
create index idea_neighbourhood_idx on public.idea (neighbourhood_id);

create type public.idea_interest_kind as enum ('join', 'host');

create table public.idea_interest (
	idea_id uuid not null references public.idea on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	kind public.idea_interest_kind not null,
	created_at timestamptz not null default now(),
	primary key (idea_id, member_id, kind)
);
alter table public.idea_interest enable row level security;
-- Policies match rows against the person: find theirs without reading every row.
create index idea_interest_member_idx on public.idea_interest (member_id);

-- Ideas and their counts are public, like the agenda; who is interested is not.
grant select on public.idea to anon, authenticated;
grant insert (neighbourhood_id, title, description, kind, proposed_by) on public.idea to authenticated;
grant update (activity_id) on public.idea to authenticated;
grant select, insert, update, delete on public.idea to service_role;
create policy idea_read on public.idea for select to anon, authenticated using (true);
create policy idea_propose on public.idea for insert to authenticated
	with check (proposed_by = (select auth.uid()) and public.is_neighbourhood_member(neighbourhood_id));

-- Whoever takes the idea on links it to the activity they started from it.
create policy idea_take_on on public.idea for update to authenticated
	using (activity_id is null and public.is_neighbourhood_member(neighbourhood_id))
	with check (activity_id is not null and public.can_run_activity(activity_id));

grant select, insert (idea_id, member_id, kind), delete on public.idea_interest to authenticated;
grant select, insert, update, delete on public.idea_interest to service_role;
create policy idea_interest_own_read on public.idea_interest for select to authenticated using (member_id = (select auth.uid()));
create policy idea_interest_own_add on public.idea_interest for insert to authenticated
	with check (member_id = (select auth.uid()) and exists (
		select 1 from public.idea i where i.id = idea_id and public.is_neighbourhood_member(i.neighbourhood_id)));
create policy idea_interest_own_remove on public.idea_interest for delete to authenticated using (member_id = (select auth.uid()));

create function public.idea_counts(p_neighbourhood uuid)
returns table (idea_id uuid, would_join integer, would_host integer)
language sql stable security definer set search_path = ''
as $$
	select i.id,
		(select count(*)::int from public.idea_interest x where x.idea_id = i.id and x.kind = 'join'),
		(select count(*)::int from public.idea_interest x where x.idea_id = i.id and x.kind = 'host')
	from public.idea i where i.neighbourhood_id = p_neighbourhood
$$;
revoke execute on function public.idea_counts(uuid) from public;
grant execute on function public.idea_counts(uuid) to anon, authenticated, service_role;
