-- One lock order for every change that locks several dates: by start, then id. Deleting an
-- account went by id while a change of capacity and "I come every time" went by start, so a
-- member deleting their account while a host changed the capacity of an activity they were on
-- could each hold a date the other waited for (a deadlock: one of them failed). With one
-- order, the second simply waits. Single-date changes (respond, slots, bring_along) lock one.

-- forget_member as it was (20261205033000_leaving.sql), in the one order.
create or replace function public.forget_member(p_member_id uuid) returns uuid[]
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
	v_changed uuid[] := '{}';
begin
	update public.activity a set status = 'paused'
	where a.status = 'active'
		and exists (select 1 from public.activity_host h where h.activity_id = a.id and h.member_id = p_member_id)
		and not exists (select 1 from public.activity_host h where h.activity_id = a.id and h.member_id <> p_member_id);
	-- Each date still to come where they have a place, a slot or help: locked one by one in the
	-- one order (starts_at, id), emptied of them, and set right.
	for v_gathering in
		select g.id from public.gathering g
		where g.ends_at > now()
			and (exists (select 1 from public.attendance a where a.gathering_id = g.id and a.member_id = p_member_id)
				or exists (select 1 from public.gathering_slot s join public.slot_pledge p on p.slot_id = s.id
					where s.gathering_id = g.id and p.member_id = p_member_id)
				or exists (select 1 from public.help_request r where r.gathering_id = g.id and r.member_id = p_member_id)
				or exists (select 1 from public.help_offer o where o.gathering_id = g.id and o.member_id = p_member_id))
		order by g.starts_at, g.id
	loop
		perform 1 from public.gathering where id = v_gathering for update;
		delete from public.attendance where gathering_id = v_gathering and member_id = p_member_id;
		delete from public.slot_pledge p using public.gathering_slot s
		where s.id = p.slot_id and s.gathering_id = v_gathering and p.member_id = p_member_id;
		delete from public.help_request where gathering_id = v_gathering and member_id = p_member_id;
		delete from public.help_offer where gathering_id = v_gathering and member_id = p_member_id;
		perform public.rebalance_gathering(v_gathering);
		perform public.match_help(v_gathering);
		v_changed := v_changed || v_gathering;
	end loop;
	delete from public.member where id = p_member_id;
	delete from identity."user" where id = p_member_id;
	return v_changed;
end
$$;

-- activity_capacity_changed as it was (20261204230300_boards.sql), in the one order.
create or replace function public.activity_capacity_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
begin
	for v_gathering in
		select id from public.gathering where activity_id = new.id and ends_at > now() order by starts_at, id for update
	loop
		perform public.rebalance_gathering(v_gathering);
	end loop;
	return null;
end
$$;

-- set_standing_signup as it was (20261204230300_boards.sql), in the one order.
create or replace function public.set_standing_signup(p_activity uuid, p_on boolean, p_guests integer default 0) returns integer
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
		order by g.starts_at, g.id
	loop
		perform public.respond(v_gathering, 'going', p_guests);
		v_count := v_count + 1;
	end loop;
	return v_count;
end
$$;
