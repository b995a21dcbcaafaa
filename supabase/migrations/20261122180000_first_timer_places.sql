-- Places kept free for first-timers until a set time before the gathering; after that anyone
-- may have them. Newcomers are who this app is for: a full board of regulars should not be the
-- first thing they meet.

alter table public.activity
	add column first_timer_places integer not null default 0 check (first_timer_places between 0 and 50),
	add column first_timer_release_hours integer not null default 24 check (first_timer_release_hours between 0 and 168);
grant insert (first_timer_places, first_timer_release_hours), update (first_timer_places, first_timer_release_hours)
	on public.activity to authenticated;

-- Places still held for first-timers on a gathering (0 once released).
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
revoke execute on function public.first_timer_places_left(uuid), public.fits(uuid, integer, boolean) from public;

-- Promotion now respects held places: the first in line moves up if they fit; if they only
-- miss a held place, the first first-timer in line who fits may take it.
create or replace function public.rebalance_gathering(p_gathering uuid) returns void
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
			update public.attendance set status = 'waitlist', waitlist_position = v_front, going_since = null, updated_at = now()
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
		set status = 'going', waitlist_position = null, going_since = now(), promoted_at = now(), updated_at = now()
		where id = v_next.id;
	end loop;
end
$$;

-- set_attendance: whether someone is a first-timer now decides whether they may take a held place.
create or replace function public.set_attendance(p_gathering uuid, p_status public.attendance_status, p_guests integer default 0)
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
	if v_member is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	select * into v_gathering from public.gathering where id = p_gathering for update;
	if not found then
		raise exception 'no such gathering' using errcode = 'P0002';
	end if;
	select * into v_activity from public.activity where id = v_gathering.activity_id;
	if not public.is_neighbourhood_member(v_activity.neighbourhood_id) then
		raise exception 'join the neighbourhood first' using errcode = '42501';
	end if;
	if v_gathering.status = 'cancelled' or v_gathering.ends_at <= now() then
		raise exception 'this gathering is not open' using errcode = 'P0001', hint = 'closed';
	end if;
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

	perform public.rebalance_gathering(p_gathering);

	select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = v_member;
	return jsonb_build_object('status', v_mine.status, 'guests', v_mine.guests);
end
$$;

-- Held places are released at their time: run regularly by the server (service role).
create function public.release_first_timer_places() returns integer
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
	v_count integer := 0;
begin
	for v_gathering in
		select g.id from public.gathering g join public.activity a on a.id = g.activity_id
		where a.first_timer_places > 0 and g.status = 'scheduled' and g.ends_at > now()
			and now() >= g.starts_at - make_interval(hours => a.first_timer_release_hours)
			and exists (select 1 from public.attendance x where x.gathering_id = g.id and x.status = 'waitlist')
		for update of g skip locked
	loop
		perform public.rebalance_gathering(v_gathering);
		v_count := v_count + 1;
	end loop;
	return v_count;
end
$$;
revoke execute on function public.release_first_timer_places() from public;
grant execute on function public.release_first_timer_places() to service_role;

-- The board tells how many places are held for newcomers.
create or replace function public.board_summary(p_gathering uuid) returns jsonb
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
