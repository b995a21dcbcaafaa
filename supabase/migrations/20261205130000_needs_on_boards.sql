-- What a gathering asks for beyond its board (needs: chairs, hands, a van) changes live on its
-- open pages like the rest of the board: the open needs travel in the public part of the board's
-- views, the number of pledges waiting for an answer in the runners' part, and every change to a
-- need or a pledge announces the boards that show it (a need of the whole activity shows on each
-- of its dates still to come). One's own pledges stay one's own: pages keep them (as help).

create function public.announce_need_boards(p_gathering uuid, p_activity uuid) returns void
language sql volatile security definer set search_path = ''
as $$
	select public.announce_board(p_gathering) where p_gathering is not null;
	select public.announce_board(g.id) from public.gathering g
	where p_gathering is null and g.activity_id = p_activity and g.ends_at > now();
$$;
revoke execute on function public.announce_need_boards(uuid, uuid) from public;

create function public.need_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if tg_op <> 'INSERT' then perform public.announce_need_boards(old.gathering_id, old.activity_id); end if;
	if tg_op <> 'DELETE' then perform public.announce_need_boards(new.gathering_id, new.activity_id); end if;
	return null;
end
$$;
revoke execute on function public.need_changed() from public;
create trigger need_announce after insert or update or delete on public.need
	for each row execute function public.need_changed();

-- A pledge that comes or is answered: the need's figures, the slot it fills, the count waiting.
create function public.need_pledge_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_need_boards(n.gathering_id, n.activity_id) from public.need n
	where n.id in (case when tg_op <> 'INSERT' then old.need_id end, case when tg_op <> 'DELETE' then new.need_id end);
	return null;
end
$$;
revoke execute on function public.need_pledge_changed() from public;
create trigger need_pledge_announce after insert or update of status or delete on public.pledge
	for each row execute function public.need_pledge_changed();

-- board_audience_views as it was (20261205060000_board_changes.sql), with the needs.
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
				from unnest(enum_range(null::public.help_kind)) as k(kind)), '[]'),
			'needs', coalesce((select json_agg(json_build_object('id', n.id, 'kind', n.kind, 'title', n.title, 'quantity', n.quantity,
				'pledged', n.pledged, 'slot_id', n.slot_id, 'date', n.date) order by n.gathering_id is null, n.created_at desc, n.id) from needs n), '[]')),
		'board', json_build_object(
			'people', coalesce((select json_agg(json_build_object('key', p.key, 'sort', p.sort, 'member_id', p.member_id, 'name', p.name,
				'status', p.status, 'guests', p.guests, 'promoted', p.promoted, 'demoted', p.demoted) order by p.sort collate "C") from people p), '[]'),
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
