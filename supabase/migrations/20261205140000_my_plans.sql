-- "What am I going to?" A member's own plans (their answer, place on the waitlist, roles and
-- help) for `/me` and the agenda's marks, and the places left on each date for everyone: the
-- board already shows these counts to visitors, so the agenda may show them too.

-- One's own plans from `p_from` on: every date one answered going, waitlist or maybe, took a role
-- on, or asked or offered help for. Only the caller's rows; the waitlist place is a count of
-- those ahead, never who they are.
create function public.my_plans(p_from timestamptz)
returns table (
	gathering_id uuid,
	status text,
	guests integer,
	waitlist_place integer,
	roles text[],
	help_asked text[],
	help_offered text[]
)
language sql stable security definer set search_path = ''
as $$
	with mine as (
		select a.gathering_id from public.attendance a
		where a.member_id = auth.uid() and a.status in ('going', 'waitlist', 'maybe')
		union
		select s.gathering_id from public.slot_pledge p join public.gathering_slot s on s.id = p.slot_id
		where p.member_id = auth.uid()
		union
		select r.gathering_id from public.help_request r where r.member_id = auth.uid()
		union
		select o.gathering_id from public.help_offer o where o.member_id = auth.uid()
	)
	select g.id,
		a.status::text,
		coalesce(a.guests, 0),
		case when a.status = 'waitlist' then (
			select count(*)::int from public.attendance w
			where w.gathering_id = g.id and w.status = 'waitlist' and w.waitlist_position <= a.waitlist_position
		) end,
		coalesce((
			select array_agg(s.label order by s.position, s.label) from public.slot_pledge p
			join public.gathering_slot s on s.id = p.slot_id
			where s.gathering_id = g.id and p.member_id = auth.uid()), '{}'),
		coalesce((
			select array_agg(r.kind::text order by r.kind) from public.help_request r
			where r.gathering_id = g.id and r.member_id = auth.uid()), '{}'),
		coalesce((
			select array_agg(o.kind::text order by o.kind) from public.help_offer o
			where o.gathering_id = g.id and o.member_id = auth.uid()), '{}')
	from mine x
	join public.gathering g on g.id = x.gathering_id
	left join public.attendance a on a.gathering_id = g.id and a.member_id = auth.uid()
		and a.status in ('going', 'waitlist', 'maybe')
	where auth.uid() is not null and g.ends_at >= p_from
	order by g.starts_at
	limit 200
$$;
revoke execute on function public.my_plans(timestamptz) from public;
grant execute on function public.my_plans(timestamptz) to authenticated;

-- Places left on dates with a capacity (never below zero; dates without one are left out), as
-- the public board counts them. At most 100 dates a call: an agenda page's worth.
create function public.places_left(p_gatherings uuid[])
returns table (gathering_id uuid, places_left integer)
language sql stable security definer set search_path = ''
as $$
	select g.id, greatest(0, a.capacity - public.seats_taken(g.id))::int
	from public.gathering g join public.activity a on a.id = g.activity_id
	where g.id = any (p_gatherings[1:100]) and a.capacity is not null
$$;
revoke execute on function public.places_left(uuid[]) from public;
grant execute on function public.places_left(uuid[]) to anon, authenticated;
