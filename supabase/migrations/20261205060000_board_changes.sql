-- One source of change for open boards. Every committed change to what a board shows is
-- announced by the database itself: triggers call pg_notify on the channel
-- 'buurtbord_changed' with the board's topic ('gathering:<uuid>'). PostgreSQL delivers a
-- notification only when its transaction commits, drops it when it rolls back, and sends a
-- topic once however many rows of one transaction named it. Every app instance LISTENs, so
-- no code path can forget to announce and every instance hears every change.
--
-- What each audience of a board may see is then computed once per change by
-- board_audience_views (below), under the same rules as the row-level security of the
-- tables it reads (tests/integration/board-audiences.test.ts compares the two).

create function public.announce_board(p_gathering uuid) returns void
language sql volatile set search_path = ''
as $$
	select pg_notify('buurtbord_changed', 'gathering:' || p_gathering::text) where p_gathering is not null
$$;
revoke execute on function public.announce_board(uuid) from public;

-- Rows that belong to one gathering directly.
create function public.board_row_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op <> 'INSERT' then perform public.announce_board(old.gathering_id); end if;
	if tg_op <> 'DELETE' then perform public.announce_board(new.gathering_id); end if;
	return null;
end
$$;
revoke execute on function public.board_row_changed() from public;

create trigger attendance_announce after insert or update or delete on public.attendance
	for each row execute function public.board_row_changed();
create trigger gathering_slot_announce after insert or update or delete on public.gathering_slot
	for each row execute function public.board_row_changed();
create trigger help_request_announce after insert or update or delete on public.help_request
	for each row execute function public.board_row_changed();
create trigger help_offer_announce after insert or update or delete on public.help_offer
	for each row execute function public.board_row_changed();

-- A pledge belongs to a slot, a match to a request: their gathering is one step away. (When
-- the slot or request goes in the same statement, its own trigger has announced already.)
create function public.slot_pledge_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_board(s.gathering_id) from public.gathering_slot s
	where s.id in (case when tg_op <> 'INSERT' then old.slot_id end, case when tg_op <> 'DELETE' then new.slot_id end);
	return null;
end
$$;
revoke execute on function public.slot_pledge_changed() from public;
create trigger slot_pledge_announce after insert or update or delete on public.slot_pledge
	for each row execute function public.slot_pledge_changed();

create function public.help_match_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_board(r.gathering_id) from public.help_request r
	where r.id in (case when tg_op <> 'INSERT' then old.request_id end, case when tg_op <> 'DELETE' then new.request_id end);
	return null;
end
$$;
revoke execute on function public.help_match_changed() from public;
create trigger help_match_announce after insert or update or delete on public.help_match
	for each row execute function public.help_match_changed();

-- The gathering itself: cancelled, restored, moved in time or place.
create function public.gathering_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_board(new.id);
	return null;
end
$$;
revoke execute on function public.gathering_changed() from public;
create trigger gathering_announce after update on public.gathering
	for each row when ((old.status, old.cancellation_reason, old.starts_at, old.ends_at, old.place_name, old.place_address)
		is distinct from (new.status, new.cancellation_reason, new.starts_at, new.ends_at, new.place_name, new.place_address))
	execute function public.gathering_changed();

-- The activity: its capacity, guests allowed, status or place show on every date still to
-- come; so does who runs it (hosts see more than others).
create function public.announce_activity_boards(p_activity uuid) returns void
language sql volatile security definer set search_path = ''
as $$
	select public.announce_board(g.id) from public.gathering g where g.activity_id = p_activity and g.ends_at > now()
$$;
revoke execute on function public.announce_activity_boards(uuid) from public;

create function public.activity_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_activity_boards(new.id);
	return null;
end
$$;
revoke execute on function public.activity_changed() from public;
create trigger activity_announce after update on public.activity
	for each row when ((old.capacity, old.max_guests, old.status, old.title, old.place_name, old.place_address, old.first_timer_places)
		is distinct from (new.capacity, new.max_guests, new.status, new.title, new.place_name, new.place_address, new.first_timer_places))
	execute function public.activity_changed();

create function public.activity_host_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_activity_boards(case when tg_op = 'DELETE' then old.activity_id else new.activity_id end);
	return null;
end
$$;
revoke execute on function public.activity_host_changed() from public;
create trigger activity_host_announce after insert or delete on public.activity_host
	for each row execute function public.activity_host_changed();

-- A new name shows on every board still to come where the person is.
create function public.member_name_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_board(g.id) from public.gathering g
	where g.ends_at > now() and (
		exists (select 1 from public.attendance a where a.gathering_id = g.id and a.member_id = new.id and a.status <> 'not_going')
		or exists (select 1 from public.slot_pledge p join public.gathering_slot s on s.id = p.slot_id where s.gathering_id = g.id and p.member_id = new.id)
		or exists (select 1 from public.help_request r where r.gathering_id = g.id and r.member_id = new.id)
		or exists (select 1 from public.help_offer o where o.gathering_id = g.id and o.member_id = new.id));
	return null;
end
$$;
revoke execute on function public.member_name_changed() from public;
create trigger member_name_announce after update of display_name on public.member
	for each row when (old.display_name is distinct from new.display_name)
	execute function public.member_name_changed();

-- What each audience of a board may see, computed once per change for all its viewers. Each
-- audience sees what the one before it sees, and more:
--   public  (visitors, and members not on the board): the gathering's facts, the counts and
--           slots (board_summary), and how much help is asked and arranged;
--   board   (going, waiting or maybe): also the names on the board and who brings what, as
--           attendance_board_read, member_read and slot_pledge_board_read allow them;
--   runners (hosts, and coordinators of the neighbourhood: can_run_activity): also which of the
--           people on the board come for the first time, and every request and offer of help,
--           as board_help gives them.
-- With it: who is in the board and runners audiences, so the server can place each socket.
-- A person's own requests and offers of help (which only they and their match see) are in no
-- audience's part: pages keep their own (see boards/board-change.ts).
-- Plain json, built once: a board of 1,000 names is one list, not one per audience.
-- For the server only (service_role): it decides per socket which parts are sent.
create function public.board_audience_views(p_gathering uuid) returns json
language sql stable security definer set search_path = ''
as $$
	with g as (
		select g.id, g.status, g.cancellation_reason, g.starts_at, g.ends_at, g.place_name, g.place_address, g.sequence,
			a.id as activity_id, a.neighbourhood_id
		from public.gathering g join public.activity a on a.id = g.activity_id
		where g.id = p_gathering
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
			a.promoted_at is not null as promoted, a.demoted_at is not null as demoted
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
				from unnest(enum_range(null::public.help_kind)) as k(kind)), '[]')),
		'board', json_build_object(
			'people', coalesce((select json_agg(json_build_object('key', p.key, 'sort', p.sort, 'member_id', p.member_id, 'name', p.name,
				'status', p.status, 'guests', p.guests, 'promoted', p.promoted, 'demoted', p.demoted) order by p.sort collate "C") from people p), '[]'),
			'pledges', coalesce((select json_agg(json_build_object('key', p.key, 'sort', p.sort, 'slot_id', p.slot_id, 'member_id', p.member_id,
				'name', p.name, 'quantity', p.quantity) order by p.sort collate "C") from pledges p), '[]')),
		'runners', json_build_object(
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
revoke execute on function public.board_audience_views(uuid) from public;
grant execute on function public.board_audience_views(uuid) to service_role;
