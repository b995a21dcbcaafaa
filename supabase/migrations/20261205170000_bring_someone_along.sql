-- Bring someone along: a member puts someone without a phone (an older neighbour, a parent
-- without a smartphone) on a board under a first name. They are never an account: they are a
-- named guest of the member who brings them, one of that member's "+N", so capacity, the
-- waitlist and moving up hold for them exactly as for any guest (they wait and move up with
-- the one who brings them). The people on the board and those who run it see their name with
-- who brought them; the door list lists them; the one who brought them and those who run it
-- can take them off, and the one who brought them is told when someone else did.

alter type public.notice_kind add value 'brought_removed';

create table public.brought_person (
	id uuid primary key default gen_random_uuid(),
	attendance_id uuid not null references public.attendance on delete cascade,
	-- The attendance's gathering, kept here so row-level security needs no join.
	gathering_id uuid not null references public.gathering on delete cascade,
	-- Their name was given by this member: it goes with the member's account.
	brought_by uuid not null references public.member on delete cascade,
	first_name text not null check (length(btrim(first_name)) between 1 and 60 and first_name = btrim(first_name)),
	-- Marked by hosts at the door (optional), like attendance.came.
	came boolean,
	created_at timestamptz not null default now()
);
alter table public.brought_person enable row level security;
create index brought_person_attendance_idx on public.brought_person (attendance_id);
create index brought_person_gathering_idx on public.brought_person (gathering_id);
create index brought_person_brought_by_idx on public.brought_person (brought_by);
grant select on public.brought_person to authenticated;
grant select, insert, update, delete on public.brought_person to service_role;
-- Who sees names on the board sees theirs (is_on_board: the people on it and those who run it).
create policy brought_person_board_read on public.brought_person for select to authenticated
	using (brought_by = (select auth.uid()) or public.is_on_board(gathering_id));

-- A person brought along is one of the guests of the one who brings them: never more of them
-- than guests, and they come off the list with the one who brings them ("I can't come").
create function public.attendance_keeps_brought() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.status = 'not_going' then
		delete from public.brought_person where attendance_id = new.id;
	elsif new.guests < (select count(*) from public.brought_person where attendance_id = new.id) then
		raise exception 'fewer guests than people brought along' using errcode = 'P0001', hint = 'brought';
	end if;
	return new;
end
$$;
revoke execute on function public.attendance_keeps_brought() from public;
create trigger attendance_keeps_brought before update of status, guests on public.attendance
	for each row execute function public.attendance_keeps_brought();

-- Their name on open boards: a name given or taken off without a change of seats.
create trigger brought_person_announce after insert or update or delete on public.brought_person
	for each row execute function public.board_row_changed();

-- Puts someone on the board with the member who brings them. Someone who says they come
-- (going or on the waitlist) may bring as many as the activity's guests allow; a guest they
-- had counted already ("+1") gets the name, otherwise one more seat is taken, only if it is
-- free and nobody is waiting for it (as for anyone who says "I'm coming").
create function public.bring_along(p_gathering uuid, p_first_name text) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering public.gathering;
	v_activity public.activity;
	v_mine public.attendance;
	v_name text := btrim(regexp_replace(coalesce(p_first_name, ''), '\s+', ' ', 'g'));
	v_named integer;
	v_id uuid;
begin
	v_gathering := public.lock_open_gathering(p_gathering);
	if length(v_name) not between 1 and 60 then
		raise exception 'a first name is needed' using errcode = 'P0001', hint = 'invalid';
	end if;
	select * into v_activity from public.activity where id = v_gathering.activity_id;
	select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = auth.uid();
	if not found or v_mine.status not in ('going', 'waitlist') then
		raise exception 'say you are coming first' using errcode = 'P0001', hint = 'not_coming';
	end if;
	select count(*) into v_named from public.brought_person where attendance_id = v_mine.id;
	if v_named >= v_mine.guests then
		if v_mine.guests + 1 > v_activity.max_guests then
			raise exception 'too many guests' using errcode = 'P0001', hint = 'guests';
		end if;
		if v_mine.status = 'going' and v_activity.capacity is not null and (
			public.seats_taken(p_gathering) + 1 > v_activity.capacity
				- case when v_mine.first_time then 0 else public.first_timer_places_left(p_gathering) end
			or exists (select 1 from public.attendance where gathering_id = p_gathering and status = 'waitlist')
		) then
			raise exception 'no place left for one more' using errcode = 'P0001', hint = 'full';
		end if;
		update public.attendance set guests = guests + 1, updated_at = now() where id = v_mine.id;
	end if;
	insert into public.brought_person (attendance_id, gathering_id, brought_by, first_name)
	values (v_mine.id, p_gathering, auth.uid(), v_name)
	returning id into v_id;
	return jsonb_build_object('id', v_id);
end
$$;
revoke execute on function public.bring_along(uuid, text) from public;
grant execute on function public.bring_along(uuid, text) to authenticated;

-- Takes someone brought along off the board: the one who brought them, or those who run it.
-- Their seat goes with them and the waitlist moves up; the one who brought them is told when
-- it was somebody else.
create function public.take_off_brought(p_person uuid) returns void
language plpgsql security definer set search_path = ''
as $$
declare
	v_person public.brought_person;
	v_gathering public.gathering;
begin
	select * into v_person from public.brought_person where id = p_person;
	if not found then
		raise exception 'no such person' using errcode = 'P0002';
	end if;
	v_gathering := public.lock_open_gathering(v_person.gathering_id);
	-- Read again under the gathering's lock: it may have gone meanwhile.
	select * into v_person from public.brought_person where id = p_person;
	if not found then
		raise exception 'no such person' using errcode = 'P0002';
	end if;
	if v_person.brought_by <> auth.uid() and not public.can_run_activity(v_gathering.activity_id) then
		raise exception 'only who brought them or a host' using errcode = '42501';
	end if;
	delete from public.brought_person where id = p_person;
	update public.attendance set guests = guests - 1, updated_at = now() where id = v_person.attendance_id and guests > 0;
	perform public.rebalance_gathering(v_gathering.id);
	if v_person.brought_by <> auth.uid() then
		insert into public.notice (member_id, gathering_id, kind) values (v_person.brought_by, v_gathering.id, 'brought_removed');
	end if;
end
$$;
revoke execute on function public.take_off_brought(uuid) from public;
grant execute on function public.take_off_brought(uuid) to authenticated;

-- At the door: those who run it tick who came, for someone brought along too.
create function public.mark_brought_arrival(p_person uuid, p_came boolean) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.brought_person b join public.gathering g on g.id = b.gathering_id
		where b.id = p_person and public.can_run_activity(g.activity_id)
	) then
		raise exception 'only hosts mark who came' using errcode = '42501';
	end if;
	update public.brought_person set came = p_came where id = p_person;
end
$$;
revoke execute on function public.mark_brought_arrival(uuid, boolean) from public;
grant execute on function public.mark_brought_arrival(uuid, boolean) to authenticated;

-- What a member's export says about the people they brought along.
create function public.export_member_brought_along(p_member_id uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	select jsonb_build_object('brought_along', coalesce((select jsonb_agg(jsonb_build_object(
		'activity', a.title, 'starts_at', g.starts_at, 'first_name', b.first_name, 'came', b.came) order by g.starts_at, b.created_at)
		from public.brought_person b join public.gathering g on g.id = b.gathering_id join public.activity a on a.id = g.activity_id
		where b.brought_by = p_member_id), '[]'))
$$;
revoke execute on function public.export_member_brought_along(uuid) from public;
grant execute on function public.export_member_brought_along(uuid) to service_role;

-- board_audience_views as it was (20261205130000_needs_on_boards.sql), with each person's people brought along.
create or replace function public.board_audience_views(p_gathering uuid) returns json
language sql stable security definer set search_path = ''
as $$
	with g as (
		select g.id, g.status, g.cancellation_reason, g.starts_at, g.ends_at, g.place_name, g.place_address, g.sequence,
			a.id as activity_id, a.neighbourhood_id, a.schedule_time_zone
		from public.gathering g join public.activity a on a.id = g.activity_id
		where g.id = p_gathering
	),
	-- The open needs the gathering page shows: the gathering's own, then the activity's without a
	-- date of their own (as offers.server.ts gatheringNeeds lists them). Needs are public; how
	-- many pledges wait for an answer is for those who run it.
	needs as (
		select n.id, n.kind, n.title, n.quantity, n.pledged, n.slot_id, n.gathering_id, n.created_at,
			to_char(case when n.gathering_id is not null then (g.starts_at at time zone g.schedule_time_zone)::date else n.needed_on end, 'YYYY-MM-DD') as date,
			(select count(*) from public.pledge p where p.need_id = n.id and p.status = 'offered')::int as waiting
		from public.need n join g on n.activity_id = g.activity_id
		where n.status = 'open' and (n.gathering_id = g.id or n.gathering_id is null)
	),
	runners as (
		select h.member_id from public.activity_host h join g on h.activity_id = g.activity_id
		union
		select nm.member_id from public.neighbourhood_member nm join g on nm.neighbourhood_id = g.neighbourhood_id
		where nm.role = 'coordinator'
	),
	-- `key` and `sort` let pages patch the list entry by entry (realtime/view-patch.ts): `sort`
	-- orders as the board does (going by arrival, then the waitlist in order, then maybe).
	people as (
		select a.id::text as key,
			case when a.going_since is not null then 'a' || lpad((extract(epoch from a.going_since) * 1000000)::bigint::text, 20, '0')
				when a.waitlist_position is not null then 'b' || lpad(a.waitlist_position::text, 20, '0')
				else 'c' end || a.id::text as sort,
			a.member_id, m.display_name as name, a.status, a.guests, a.first_time,
			a.promoted_at is not null as promoted, a.demoted_at is not null as demoted,
			coalesce((select json_agg(json_build_object('id', b.id, 'name', b.first_name) order by b.created_at, b.id)
				from public.brought_person b where b.attendance_id = a.id), '[]') as brought
		from public.attendance a left join public.member m on m.id = a.member_id
		where a.gathering_id = p_gathering and a.status <> 'not_going'
	),
	pledges as (
		-- A name only for someone on this board (member_read shows others' names to nobody here).
		select p.id::text as key, lpad(s.position::text, 6, '0') || s.id::text || p.id::text as sort,
			p.slot_id, p.member_id, case when exists (select 1 from people pp where pp.member_id = p.member_id) then m.display_name end as name, p.quantity
		from public.slot_pledge p
		join public.gathering_slot s on s.id = p.slot_id
		left join public.member m on m.id = p.member_id
		where s.gathering_id = p_gathering
	),
	requests as (
		select r.member_id, r.kind, r.people, r.note, r.created_at, r.id, mem.display_name as name,
			o.member_id as helper_id, helper.display_name as helper_name, o.note as helper_note
		from public.help_request r
		join public.member mem on mem.id = r.member_id
		left join public.help_match hm on hm.request_id = r.id
		left join public.help_offer o on o.id = hm.offer_id
		left join public.member helper on helper.id = o.member_id
		where r.gathering_id = p_gathering
	),
	offers as (
		select o.member_id, o.kind, o.places, o.note, o.created_at, o.id, mem.display_name as name,
			coalesce((select sum(r.people) from public.help_match hm join public.help_request r on r.id = hm.request_id where hm.offer_id = o.id), 0)::int as used
		from public.help_offer o join public.member mem on mem.id = o.member_id
		where o.gathering_id = p_gathering
	)
	select case when not exists (select 1 from g) then json_build_object('found', false) else json_build_object(
		'found', true,
		'public', json_build_object(
			'gathering', (select json_build_object('id', g.id, 'status', g.status, 'cancellation_reason', g.cancellation_reason,
				'starts_at', g.starts_at, 'ends_at', g.ends_at, 'place_name', g.place_name, 'place_address', g.place_address,
				'sequence', g.sequence) from g),
			'summary', public.board_summary(p_gathering),
			'help_counts', coalesce((
				select json_agg(json_build_object(
					'kind', k.kind,
					'asked', (select count(*) from requests r where r.kind = k.kind),
					'arranged', (select count(*) from requests r where r.kind = k.kind and r.helper_id is not null),
					'offered', (select count(*) from offers o where o.kind = k.kind)
				) order by k.kind)
				from unnest(enum_range(null::public.help_kind)) as k(kind)), '[]'),
			'needs', coalesce((select json_agg(json_build_object('id', n.id, 'kind', n.kind, 'title', n.title, 'quantity', n.quantity,
				'pledged', n.pledged, 'slot_id', n.slot_id, 'date', n.date) order by n.gathering_id is null, n.created_at desc, n.id) from needs n), '[]')),
		'board', json_build_object(
			'people', coalesce((select json_agg(json_build_object('key', p.key, 'sort', p.sort, 'member_id', p.member_id, 'name', p.name,
				'status', p.status, 'guests', p.guests, 'brought', p.brought, 'promoted', p.promoted, 'demoted', p.demoted) order by p.sort collate "C") from people p), '[]'),
			'pledges', coalesce((select json_agg(json_build_object('key', p.key, 'sort', p.sort, 'slot_id', p.slot_id, 'member_id', p.member_id,
				'name', p.name, 'quantity', p.quantity) order by p.sort collate "C") from pledges p), '[]')),
		'runners', json_build_object(
			'needs_waiting', coalesce((select json_agg(json_build_object('id', n.id, 'waiting', n.waiting)
				order by n.gathering_id is null, n.created_at desc, n.id) from needs n), '[]'),
			'first_timers', coalesce((select json_agg(p.key order by p.sort collate "C") from people p where p.first_time), '[]'),
			'help', json_build_object(
				'asks', coalesce((select json_agg(json_build_object('member_id', r.member_id, 'kind', r.kind, 'people', r.people,
					'note', r.note, 'name', r.name, 'helper_id', r.helper_id, 'helper', r.helper_name, 'helper_note', r.helper_note)
					order by r.created_at, r.id) from requests r), '[]'),
				'offers', coalesce((select json_agg(json_build_object('member_id', o.member_id, 'kind', o.kind, 'places', o.places,
					'used', o.used, 'note', o.note, 'name', o.name) order by o.created_at, o.id) from offers o), '[]'))),
		'board_members', coalesce((select json_agg(distinct p.member_id) from people p where p.member_id is not null), '[]'),
		'runner_members', coalesce((select json_agg(r.member_id) from runners r), '[]')
	) end
$$;
