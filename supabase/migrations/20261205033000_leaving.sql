-- Leaving leaves nothing behind: saying "I can't come" gives up one's slots (help already goes,
-- see attendance_drop_help), and deleting an account gives up every place, guest, slot and
-- help on dates still to come, with the waitlist moving up in the same transaction. Past dates
-- keep their count without a name, as before.

-- Someone who can no longer come brings nothing either: their slots open for others.
create function public.attendance_drop_slots() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	delete from public.slot_pledge p using public.gathering_slot s
	where s.id = p.slot_id and s.gathering_id = new.gathering_id and p.member_id = new.member_id;
	return null;
end
$$;
create trigger attendance_slots after update of status on public.attendance
	for each row when (new.status = 'not_going' and old.status <> 'not_going' and new.member_id is not null)
	execute function public.attendance_drop_slots();

-- Now also answers which upcoming gatherings changed, so their open boards can be told.
drop function public.forget_member(uuid);
create function public.forget_member(p_member_id uuid) returns uuid[]
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
	-- Each date still to come where they have a place, a slot or help: locked one by one in a
	-- fixed order (every board change locks its gathering first), emptied of them, and set right.
	for v_gathering in
		select g.id from public.gathering g
		where g.ends_at > now()
			and (exists (select 1 from public.attendance a where a.gathering_id = g.id and a.member_id = p_member_id)
				or exists (select 1 from public.gathering_slot s join public.slot_pledge p on p.slot_id = s.id
					where s.gathering_id = g.id and p.member_id = p_member_id)
				or exists (select 1 from public.help_request r where r.gathering_id = g.id and r.member_id = p_member_id)
				or exists (select 1 from public.help_offer o where o.gathering_id = g.id and o.member_id = p_member_id))
		order by g.id
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
revoke execute on function public.forget_member(uuid) from public;
grant execute on function public.forget_member(uuid) to service_role;
