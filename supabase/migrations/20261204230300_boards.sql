-- Boards: attendance with capacity, waitlist and promotion; slots with quantities; regulars
-- (standing sign-ups); places held for first-timers; after a gathering, who came, feedback
-- and thanks. Every rule that must hold under concurrency lives in a SQL function that locks
-- the gathering (or the slot) row for the length of one short transaction.

-- Attendance ---------------------------------------------------------------------------------

create type public.attendance_status as enum ('going', 'waitlist', 'maybe', 'not_going');
create sequence public.waitlist_arrival;

create table public.attendance (
	id uuid primary key default gen_random_uuid(),
	gathering_id uuid not null references public.gathering on delete cascade,
	-- Empty once the member deleted their account: the count stays, the name goes.
	member_id uuid references public.member on delete set null,
	status public.attendance_status not null,
	guests integer not null default 0 check (guests between 0 and 10),
	-- Arrival order on the waitlist (smaller is earlier).
	waitlist_position bigint,
	going_since timestamptz,
	promoted_at timestamptz,
	-- Moved back to the waitlist when a host lowered capacity, so they can be told.
	demoted_at timestamptz,
	first_time boolean not null default false,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- Marked by hosts after the gathering (optional).
	came boolean,
	unique (gathering_id, member_id),
	check ((status = 'waitlist') = (waitlist_position is not null))
);
alter table public.attendance enable row level security;
create index attendance_gathering_idx on public.attendance (gathering_id, status);
create index attendance_member_idx on public.attendance (member_id);

-- Who may see names on a board: the people on it (going, waitlist, maybe) and those who run it.
create function public.is_on_board(p_gathering uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.attendance a
		where a.gathering_id = p_gathering and a.member_id = auth.uid() and a.status in ('going', 'waitlist', 'maybe')
	) or exists (
		select 1 from public.gathering g where g.id = p_gathering and public.can_run_activity(g.activity_id)
	)
$$;
revoke execute on function public.is_on_board(uuid) from public;
grant execute on function public.is_on_board(uuid) to authenticated;

grant select on public.attendance to authenticated;
grant select, insert, update, delete on public.attendance to service_role;
grant usage on sequence public.waitlist_arrival to service_role;
create policy attendance_board_read on public.attendance for select to authenticated
	using (member_id = (select auth.uid()) or public.is_on_board(gathering_id));

-- Who sees whom ----------------------------------------------------------------------------
-- A member sees their own record; coordinators see the members of their neighbourhood (to
-- welcome them and to pick co-hosts); fellow attendees see each other's display names.

create function public.can_see_member(p_member_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select p_member_id = auth.uid()
	or exists (
		select 1
		from public.neighbourhood_member mine
		join public.neighbourhood_member theirs on theirs.neighbourhood_id = mine.neighbourhood_id
		where mine.member_id = auth.uid() and mine.role = 'coordinator' and theirs.member_id = p_member_id
	)
	or exists (
		select 1 from public.attendance theirs
		where theirs.member_id = p_member_id and theirs.status in ('going', 'waitlist', 'maybe')
			and public.is_on_board(theirs.gathering_id)
	)
$$;
revoke execute on function public.can_see_member(uuid) from public;
grant execute on function public.can_see_member(uuid) to authenticated;
create policy member_read on public.member for select to authenticated using (public.can_see_member(id));

-- Capacity, waitlist and promotion ------------------------------------------------------------

-- Seats taken on a gathering (each person plus their guests).
create function public.seats_taken(p_gathering uuid) returns integer
language sql stable security definer set search_path = ''
as $$
	select coalesce(sum(1 + guests), 0)::int from public.attendance where gathering_id = p_gathering and status = 'going'
$$;

-- Places held for first-timers that are still free (none once their release time passed).
create function public.first_timer_places_left(p_gathering uuid) returns integer
language sql stable security definer set search_path = ''
as $$
	select case
		when now() >= g.starts_at - make_interval(hours => a.first_timer_release_hours) then 0
		else greatest(0, a.first_timer_places - coalesce((
			select sum(1 + x.guests) from public.attendance x
			where x.gathering_id = g.id and x.status = 'going' and x.first_time), 0))::int
	end
	from public.gathering g join public.activity a on a.id = g.activity_id
	where g.id = p_gathering
$$;

-- Whether someone (first-timer or not) with `p_guests` fits on the gathering now.
create function public.fits(p_gathering uuid, p_guests integer, p_first_time boolean) returns boolean
language sql stable security definer set search_path = ''
as $$
	select a.capacity is null
		or public.seats_taken(p_gathering) + 1 + p_guests
			<= a.capacity - case when p_first_time then 0 else public.first_timer_places_left(p_gathering) end
	from public.gathering g join public.activity a on a.id = g.activity_id
	where g.id = p_gathering
$$;

-- Brings a gathering in line with its capacity: the newest going people move back to the
-- front of the waitlist (in order) while it is over; then the waitlist moves up strictly in
-- arrival order while the first in line fits — if they only miss a place held for
-- first-timers, the first first-timer in line who fits may take it. Call with the gathering
-- row locked.
create function public.rebalance_gathering(p_gathering uuid) returns void
language plpgsql security definer set search_path = ''
as $$
declare
	v_capacity integer;
	v_next public.attendance;
	v_front bigint;
begin
	select a.capacity into v_capacity
	from public.gathering g join public.activity a on a.id = g.activity_id where g.id = p_gathering;

	if v_capacity is not null then
		while public.seats_taken(p_gathering) > v_capacity loop
			select coalesce(min(waitlist_position), nextval('public.waitlist_arrival')) - 1 into v_front
			from public.attendance where gathering_id = p_gathering and status = 'waitlist';
			update public.attendance
			set status = 'waitlist', waitlist_position = v_front, going_since = null, demoted_at = now(), updated_at = now()
			where id = (
				select id from public.attendance where gathering_id = p_gathering and status = 'going'
				order by going_since desc, created_at desc limit 1
			);
		end loop;
	end if;

	loop
		select * into v_next from public.attendance
		where gathering_id = p_gathering and status = 'waitlist'
		order by waitlist_position limit 1;
		exit when not found;
		if not public.fits(p_gathering, v_next.guests, v_next.first_time) then
			select * into v_next from public.attendance
			where gathering_id = p_gathering and status = 'waitlist' and first_time
				and public.fits(p_gathering, guests, true)
			order by waitlist_position limit 1;
			exit when not found;
		end if;
		update public.attendance
		set status = 'going', waitlist_position = null, going_since = now(), promoted_at = now(), demoted_at = null, updated_at = now()
		where id = v_next.id;
	end loop;
end
$$;

-- The gathering a board change is about, locked until commit, once the checks every board
-- change shares have passed: signed in, a member of its neighbourhood, and still open (not
-- cancelled, not over).
create function public.lock_open_gathering(p_gathering uuid) returns public.gathering
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering public.gathering;
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	select * into v_gathering from public.gathering where id = p_gathering for update;
	if not found then
		raise exception 'no such gathering' using errcode = 'P0002';
	end if;
	if not exists (
		select 1 from public.activity a where a.id = v_gathering.activity_id and public.is_neighbourhood_member(a.neighbourhood_id)
	) then
		raise exception 'join the neighbourhood first' using errcode = '42501';
	end if;
	if v_gathering.status = 'cancelled' or v_gathering.ends_at <= now() then
		raise exception 'this gathering is not open' using errcode = 'P0001', hint = 'closed';
	end if;
	return v_gathering;
end
$$;
revoke execute on function public.lock_open_gathering(uuid) from public;

-- "I'm coming" (+ guests), "maybe", "can't come": one short transaction that locks the
-- gathering, so capacity and waitlist order hold however many people tap at once.
create function public.respond(p_gathering uuid, p_status public.attendance_status, p_guests integer default 0)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_member uuid := auth.uid();
	v_gathering public.gathering;
	v_activity public.activity;
	v_mine public.attendance;
	v_status public.attendance_status := p_status;
	v_first boolean;
begin
	v_gathering := public.lock_open_gathering(p_gathering);
	select * into v_activity from public.activity where id = v_gathering.activity_id;
	if p_guests < 0 or p_guests > v_activity.max_guests then
		raise exception 'too many guests' using errcode = 'P0001', hint = 'guests';
	end if;

	v_first := not exists (
		select 1 from public.attendance a join public.gathering g on g.id = a.gathering_id
		where a.member_id = v_member and g.activity_id = v_activity.id and g.id <> p_gathering and a.status = 'going'
	);
	select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = v_member;

	if p_status = 'going' then
		if v_mine.status = 'going' then
			v_status := 'going';
		elsif public.fits(p_gathering, p_guests, v_first)
			and not exists (select 1 from public.attendance where gathering_id = p_gathering and status = 'waitlist'
				and (not v_first or first_time)) then
			v_status := 'going';
		else
			v_status := 'waitlist';
		end if;
	end if;

	insert into public.attendance as a (gathering_id, member_id, status, guests, waitlist_position, going_since, first_time)
	values (
		p_gathering, v_member, v_status, p_guests,
		case when v_status = 'waitlist' then nextval('public.waitlist_arrival') end,
		case when v_status = 'going' then now() end,
		v_first
	)
	on conflict (gathering_id, member_id) do update set
		status = excluded.status,
		guests = excluded.guests,
		first_time = excluded.first_time,
		waitlist_position = case
			when excluded.status <> 'waitlist' then null
			when a.status = 'waitlist' then a.waitlist_position
			else excluded.waitlist_position end,
		going_since = case when excluded.status = 'going' then coalesce(a.going_since, now()) end,
		promoted_at = case when excluded.status = 'going' then a.promoted_at end,
		updated_at = now();

	-- Only a change to the seats or to the line can move anyone: someone going or waiting
	-- changed their answer, or someone joined the line. A newcomer who simply fitted (or
	-- answered maybe / can't come) leaves the board as balanced as it was, so the lock is
	-- released sooner.
	if v_mine.status in ('going', 'waitlist') or v_status = 'waitlist' then
		perform public.rebalance_gathering(p_gathering);
		select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = v_member;
		return jsonb_build_object('status', v_mine.status, 'guests', v_mine.guests);
	end if;
	return jsonb_build_object('status', v_status, 'guests', p_guests);
end
$$;
revoke execute on function public.respond(uuid, public.attendance_status, integer), public.rebalance_gathering(uuid),
	public.seats_taken(uuid), public.first_timer_places_left(uuid), public.fits(uuid, integer, boolean) from public;
grant execute on function public.respond(uuid, public.attendance_status, integer) to authenticated;

-- A host lowering (or raising) capacity never silently drops anyone: every upcoming
-- gathering is rebalanced in the same transaction.
create function public.activity_capacity_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
begin
	for v_gathering in
		select id from public.gathering where activity_id = new.id and ends_at > now() order by starts_at for update
	loop
		perform public.rebalance_gathering(v_gathering);
	end loop;
	return null;
end
$$;
create trigger activity_capacity after update of capacity on public.activity
	for each row when (old.capacity is distinct from new.capacity)
	execute function public.activity_capacity_changed();

-- Places held for first-timers open to everyone at their release time; the server calls this
-- regularly and announces the boards it returns (those where someone moved up from the
-- waitlist in this call).
create function public.release_first_timer_places() returns setof uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
begin
	for v_gathering in
		select g.id from public.gathering g join public.activity a on a.id = g.activity_id
		where a.first_timer_places > 0 and g.status = 'scheduled' and g.ends_at > now()
			and now() >= g.starts_at - make_interval(hours => a.first_timer_release_hours)
			and exists (select 1 from public.attendance x where x.gathering_id = g.id and x.status = 'waitlist')
		for update of g skip locked
	loop
		perform public.rebalance_gathering(v_gathering);
		-- promoted_at = now(): moved up by this very transaction.
		if exists (select 1 from public.attendance x where x.gathering_id = v_gathering and x.promoted_at = now()) then
			return next v_gathering;
		end if;
	end loop;
end
$$;
revoke execute on function public.release_first_timer_places() from public;
grant execute on function public.release_first_timer_places() to service_role;

-- Slots --------------------------------------------------------------------------------------
-- What a gathering needs: roles (cook ×2) and items (desserts ×3). A template per activity is
-- copied onto each new gathering, where hosts can adjust it.

create type public.slot_kind as enum ('role', 'item');

create table public.activity_slot_template (
	id uuid primary key default gen_random_uuid(),
	activity_id uuid not null references public.activity on delete cascade,
	label text not null check (length(btrim(label)) between 1 and 60),
	kind public.slot_kind not null default 'item',
	quantity integer not null check (quantity between 1 and 200),
	position integer not null default 0
);
alter table public.activity_slot_template enable row level security;

create table public.gathering_slot (
	id uuid primary key default gen_random_uuid(),
	gathering_id uuid not null references public.gathering on delete cascade,
	label text not null check (length(btrim(label)) between 1 and 60),
	kind public.slot_kind not null default 'item',
	quantity integer not null check (quantity between 1 and 200),
	position integer not null default 0
);
alter table public.gathering_slot enable row level security;
create index gathering_slot_gathering_idx on public.gathering_slot (gathering_id);

create table public.slot_pledge (
	id uuid primary key default gen_random_uuid(),
	slot_id uuid not null references public.gathering_slot on delete cascade,
	member_id uuid references public.member on delete set null,
	quantity integer not null check (quantity between 1 and 200),
	created_at timestamptz not null default now(),
	-- Thanks from those who run the activity, for what the helper did or brought.
	thanks text check (length(thanks) <= 300),
	thanked_at timestamptz,
	unique (slot_id, member_id)
);
alter table public.slot_pledge enable row level security;
-- Policies match rows against the person: find theirs without reading every row.
create index slot_pledge_member_idx on public.slot_pledge (member_id);
create index slot_pledge_slot_idx on public.slot_pledge (slot_id);

grant select on public.activity_slot_template, public.gathering_slot to anon, authenticated;
create policy slot_template_read on public.activity_slot_template for select to anon, authenticated using (true);
create policy gathering_slot_read on public.gathering_slot for select to anon, authenticated using (true);
grant insert (gathering_id, label, kind, quantity, position), update (label, quantity), delete on public.gathering_slot to authenticated;
create policy gathering_slot_run on public.gathering_slot for all to authenticated
	using (exists (select 1 from public.gathering g where g.id = gathering_id and public.can_run_activity(g.activity_id)))
	with check (exists (select 1 from public.gathering g where g.id = gathering_id and public.can_run_activity(g.activity_id)));
grant insert (activity_id, label, kind, quantity, position), update (label, quantity), delete on public.activity_slot_template to authenticated;
create policy slot_template_run on public.activity_slot_template for all to authenticated
	using (public.can_run_activity(activity_id)) with check (public.can_run_activity(activity_id));
grant select, insert, update, delete on public.activity_slot_template, public.gathering_slot to service_role;

-- Who brings what: names for the people on the board and those who run it.
grant select on public.slot_pledge to authenticated;
grant select, insert, update, delete on public.slot_pledge to service_role;
create policy slot_pledge_board_read on public.slot_pledge for select to authenticated
	using (member_id = (select auth.uid()) or exists (
		select 1 from public.gathering_slot s where s.id = slot_id and public.is_on_board(s.gathering_id)));

-- Sensible first slots per kind of activity (hosts change them).
create function public.insert_default_slots(p_activity uuid, p_kind public.activity_kind) returns void
language sql security definer set search_path = ''
as $$
	insert into public.activity_slot_template (activity_id, label, kind, quantity, position)
	select p_activity, d.label, d.kind::public.slot_kind, d.quantity, d.position
	from (values
		('shared_dinner', 'Koken', 'role', 2, 1), ('shared_dinner', 'Toetje', 'item', 3, 2),
		('shared_dinner', 'Tafels klaarzetten', 'role', 2, 3), ('shared_dinner', 'Afwassen', 'role', 2, 4),
		('repair_cafe', 'Repareren: fietsen', 'role', 2, 1), ('repair_cafe', 'Repareren: elektrisch', 'role', 2, 2),
		('repair_cafe', 'Repareren: kleding', 'role', 1, 3), ('repair_cafe', 'Ontvangst', 'role', 1, 4),
		('coffee_morning', 'Koffie zetten', 'role', 1, 1), ('coffee_morning', 'Iets lekkers', 'item', 2, 2),
		('themed_evening', 'Gastvrouw of gastheer', 'role', 1, 1), ('themed_evening', 'Hapjes', 'item', 3, 2),
		('walk', 'Wandelleider', 'role', 1, 1)
	) as d(kind_of_activity, label, kind, quantity, position)
	where d.kind_of_activity = p_kind::text
$$;
revoke execute on function public.insert_default_slots(uuid, public.activity_kind) from public;

create function public.activity_default_slots() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.insert_default_slots(new.id, new.kind);
	return null;
end
$$;
create trigger activity_slots after insert on public.activity
	for each row execute function public.activity_default_slots();

create function public.gathering_copy_slots() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into public.gathering_slot (gathering_id, label, kind, quantity, position)
	select new.id, t.label, t.kind, t.quantity, t.position
	from public.activity_slot_template t where t.activity_id = new.activity_id;
	return null;
end
$$;
create trigger gathering_slots after insert on public.gathering
	for each row execute function public.gathering_copy_slots();

-- Taking part of a slot's quantity ("I bring 5 chairs"); the slot row is locked, so it can
-- never be over-taken. Quantity 0 gives it back.
create function public.pledge_to_slot(p_slot uuid, p_quantity integer) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_member uuid := auth.uid();
	v_slot public.gathering_slot;
	v_others integer;
	v_gathering public.gathering;
begin
	if v_member is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	select * into v_slot from public.gathering_slot where id = p_slot for update;
	if not found then
		raise exception 'no such slot' using errcode = 'P0002';
	end if;
	select * into v_gathering from public.gathering where id = v_slot.gathering_id;
	if not exists (
		select 1 from public.activity a where a.id = v_gathering.activity_id and public.is_neighbourhood_member(a.neighbourhood_id)
	) then
		raise exception 'join the neighbourhood first' using errcode = '42501';
	end if;
	if v_gathering.status = 'cancelled' or v_gathering.ends_at <= now() then
		raise exception 'this gathering is not open' using errcode = 'P0001', hint = 'closed';
	end if;
	if p_quantity < 0 or p_quantity > v_slot.quantity then
		raise exception 'not a possible amount' using errcode = 'P0001', hint = 'quantity';
	end if;
	if p_quantity = 0 then
		delete from public.slot_pledge where slot_id = p_slot and member_id = v_member;
		return jsonb_build_object('taken', 0, 'left', v_slot.quantity - coalesce((select sum(quantity) from public.slot_pledge where slot_id = p_slot), 0));
	end if;
	select coalesce(sum(quantity), 0) into v_others from public.slot_pledge where slot_id = p_slot and member_id is distinct from v_member;
	if v_others + p_quantity > v_slot.quantity then
		raise exception 'not enough left' using errcode = 'P0001', hint = 'slot_full', detail = (v_slot.quantity - v_others)::text;
	end if;
	insert into public.slot_pledge (slot_id, member_id, quantity) values (p_slot, v_member, p_quantity)
	on conflict (slot_id, member_id) do update set quantity = excluded.quantity;
	return jsonb_build_object('taken', p_quantity, 'left', v_slot.quantity - v_others - p_quantity);
end
$$;
revoke execute on function public.pledge_to_slot(uuid, integer) from public;
grant execute on function public.pledge_to_slot(uuid, integer) to authenticated;

-- What anyone may know about a board: counts, never names.
create function public.board_summary(p_gathering uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	select jsonb_build_object(
		'gathering_id', p_gathering,
		'going', public.seats_taken(p_gathering),
		'people_going', (select count(*)::int from public.attendance where gathering_id = p_gathering and status = 'going'),
		'waitlist', (select count(*)::int from public.attendance where gathering_id = p_gathering and status = 'waitlist'),
		'maybe', (select count(*)::int from public.attendance where gathering_id = p_gathering and status = 'maybe'),
		'capacity', (select a.capacity from public.gathering g join public.activity a on a.id = g.activity_id where g.id = p_gathering),
		'held_for_newcomers', public.first_timer_places_left(p_gathering),
		'slots', coalesce((
			select jsonb_agg(jsonb_build_object('id', s.id, 'label', s.label, 'kind', s.kind, 'quantity', s.quantity,
				'taken', coalesce((select sum(p.quantity) from public.slot_pledge p where p.slot_id = s.id), 0)) order by s.position, s.label)
			from public.gathering_slot s where s.gathering_id = p_gathering), '[]')
	)
$$;
revoke execute on function public.board_summary(uuid) from public;
grant execute on function public.board_summary(uuid) to anon, authenticated, service_role;

-- Those who run the activity thank a helper for what they did or brought.
create function public.thank_for_help(p_pledge uuid, p_thanks text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.slot_pledge p
		join public.gathering_slot s on s.id = p.slot_id
		join public.gathering g on g.id = s.gathering_id
		where p.id = p_pledge and public.can_run_activity(g.activity_id)
	) then
		raise exception 'only hosts thank helpers' using errcode = '42501';
	end if;
	update public.slot_pledge set thanks = nullif(btrim(p_thanks), ''), thanked_at = now() where id = p_pledge;
end
$$;
revoke execute on function public.thank_for_help(uuid, text) from public;
grant execute on function public.thank_for_help(uuid, text) to authenticated;

-- A helper's own log: what they did at gatherings that have taken place, and thanks received.
create function public.my_gathering_contributions()
returns table (label text, kind public.slot_kind, times integer, quantity integer, last_thanks text)
language sql stable security definer set search_path = ''
as $$
	select s.label, s.kind, count(*)::int, sum(p.quantity)::int,
		(array_agg(p.thanks order by p.thanked_at desc nulls last))[1]
	from public.slot_pledge p
	join public.gathering_slot s on s.id = p.slot_id
	join public.gathering g on g.id = s.gathering_id
	where p.member_id = auth.uid() and g.starts_at <= now() and g.status = 'scheduled'
	group by s.label, s.kind
	order by count(*) desc, s.label
$$;
revoke execute on function public.my_gathering_contributions() from public;
grant execute on function public.my_gathering_contributions() to authenticated;

-- Regulars ---------------------------------------------------------------------------------
-- Regulars: "I come every week". Each new gathering of the activity puts them on the board
-- (going while there is room, otherwise on the waitlist, in the order they became regulars);
-- skipping one date is simply answering "can't come" on that date.

create table public.standing_signup (
	activity_id uuid not null references public.activity on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	guests integer not null default 0 check (guests between 0 and 10),
	created_at timestamptz not null default now(),
	primary key (activity_id, member_id)
);
alter table public.standing_signup enable row level security;
-- Policies match rows against the person: find theirs without reading every row.
create index standing_signup_member_idx on public.standing_signup (member_id);
grant select on public.standing_signup to authenticated;
grant select, insert, update, delete on public.standing_signup to service_role;
create policy standing_own_read on public.standing_signup for select to authenticated
	using (member_id = (select auth.uid()) or public.can_run_activity(activity_id));

-- Turns a member's standing sign-up on (signing them up for every upcoming date they have not
-- answered yet) or off (their answers on upcoming dates stay as they are).
create function public.set_standing_signup(p_activity uuid, p_on boolean, p_guests integer default 0) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
	v_count integer := 0;
begin
	if auth.uid() is null or not exists (
		select 1 from public.activity a where a.id = p_activity and public.is_neighbourhood_member(a.neighbourhood_id)
	) then
		raise exception 'join the neighbourhood first' using errcode = '42501';
	end if;
	if not p_on then
		delete from public.standing_signup where activity_id = p_activity and member_id = auth.uid();
		return 0;
	end if;
	insert into public.standing_signup (activity_id, member_id, guests) values (p_activity, auth.uid(), p_guests)
	on conflict (activity_id, member_id) do update set guests = excluded.guests;
	for v_gathering in
		select g.id from public.gathering g
		where g.activity_id = p_activity and g.status = 'scheduled' and g.starts_at > now()
			and not exists (select 1 from public.attendance a where a.gathering_id = g.id and a.member_id = auth.uid())
		order by g.starts_at
	loop
		perform public.respond(v_gathering, 'going', p_guests);
		v_count := v_count + 1;
	end loop;
	return v_count;
end
$$;
revoke execute on function public.set_standing_signup(uuid, boolean, integer) from public;
grant execute on function public.set_standing_signup(uuid, boolean, integer) to authenticated;

create function public.gathering_add_regulars() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.status <> 'scheduled' then
		return null;
	end if;
	insert into public.attendance (gathering_id, member_id, status, guests, waitlist_position, first_time)
	select new.id, s.member_id, 'waitlist', s.guests, nextval('public.waitlist_arrival'), false
	from public.standing_signup s where s.activity_id = new.activity_id
	order by s.created_at
	on conflict do nothing;
	perform public.rebalance_gathering(new.id);
	-- Regulars were not "moved up": they simply have their place.
	update public.attendance set promoted_at = null
	where gathering_id = new.id and member_id in (select member_id from public.standing_signup where activity_id = new.activity_id);
	return null;
end
$$;
create trigger gathering_regulars after insert on public.gathering
	for each row execute function public.gathering_add_regulars();

-- After a gathering ---------------------------------------------------------------------------
-- Who came (optional), one question to attendees, seen only by hosts.

create table public.gathering_feedback (
	gathering_id uuid not null references public.gathering on delete cascade,
	-- Kept without a name when the member deletes their account.
	member_id uuid references public.member on delete set null,
	rating smallint not null check (rating between 1 and 3),
	comment text not null default '' check (length(comment) <= 500),
	created_at timestamptz not null default now(),
	unique (gathering_id, member_id)
);
alter table public.gathering_feedback enable row level security;
-- Policies match rows against the person: find theirs without reading every row.
create index gathering_feedback_member_idx on public.gathering_feedback (member_id);

-- Hosts (and coordinators stepping in) read it; each person sees their own answer.
grant select on public.gathering_feedback to authenticated;
grant select, insert, update, delete on public.gathering_feedback to service_role;
create policy feedback_read on public.gathering_feedback for select to authenticated
	using (member_id = (select auth.uid()) or exists (
		select 1 from public.gathering g where g.id = gathering_id and public.can_run_activity(g.activity_id)));

-- Only people who were going may answer, once the gathering has started.
create function public.leave_feedback(p_gathering uuid, p_rating integer, p_comment text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.attendance a join public.gathering g on g.id = a.gathering_id
		where a.gathering_id = p_gathering and a.member_id = auth.uid() and a.status = 'going' and g.starts_at <= now()
	) then
		raise exception 'only people who came can answer' using errcode = '42501';
	end if;
	insert into public.gathering_feedback (gathering_id, member_id, rating, comment)
	values (p_gathering, auth.uid(), p_rating, coalesce(btrim(p_comment), ''))
	on conflict (gathering_id, member_id) do update set rating = excluded.rating, comment = excluded.comment;
end
$$;

-- Hosts mark who came (optional).
create function public.mark_arrival(p_gathering uuid, p_member uuid, p_came boolean) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (select 1 from public.gathering g where g.id = p_gathering and public.can_run_activity(g.activity_id)) then
		raise exception 'only hosts mark who came' using errcode = '42501';
	end if;
	update public.attendance set came = p_came where gathering_id = p_gathering and member_id = p_member;
end
$$;
revoke execute on function public.leave_feedback(uuid, integer, text), public.mark_arrival(uuid, uuid, boolean) from public;
grant execute on function public.leave_feedback(uuid, integer, text), public.mark_arrival(uuid, uuid, boolean) to authenticated;
