-- A pledge answered while the gathering page of its giver is open (accepted, declined, delivered,
-- or withdrawn on another device) changed nothing a board's views carried: the need's figures
-- stayed the same, and one's own pledge is private, so the giver saw "offered" until a reload.
-- `need.pledge_answers` counts the answers to its pledges: public, naming nobody, the same in the
-- page's load and in every view, so a page holding a pledge to a need whose count moved fetches
-- its own pledge again (offers/need-change.ts), as with one's own help.

alter table public.need add column pledge_answers integer not null default 0 check (pledge_answers >= 0);

create function public.need_count_pledge_answer() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	update public.need set pledge_answers = pledge_answers + 1 where id = new.need_id;
	return null;
end
$$;
revoke execute on function public.need_count_pledge_answer() from public;
create trigger need_count_pledge_answer after update of status on public.pledge
	for each row when (old.status is distinct from new.status) execute function public.need_count_pledge_answer();

-- board_audience_views as it was (20261205170000_bring_someone_along.sql), with each need's pledge_answers.
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
		select n.id, n.kind, n.title, n.quantity, n.pledged, n.pledge_answers, n.slot_id, n.gathering_id, n.created_at,
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
				'pledged', n.pledged, 'pledge_answers', n.pledge_answers, 'slot_id', n.slot_id, 'date', n.date) order by n.gathering_id is null, n.created_at desc, n.id) from needs n), '[]')),
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
