-- A role (washing up, cooking) is done by someone who is coming: people on the waitlist, or
-- not on the board at all, cannot take one, and someone moved down to the waitlist gives
-- theirs back, so the job is open to someone who will be there. Things to bring stay open to
-- anyone in the neighbourhood (someone can drop off a dessert without staying). The rest of
-- pledge_to_slot is as it was (20261204230300_boards.sql).
create or replace function public.pledge_to_slot(p_slot uuid, p_quantity integer) returns jsonb
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
	-- The gathering first, as every change to a board locks it: a capacity cut that moves people
	-- down cannot slip between the check that someone is coming and their taking a role.
	select * into v_gathering from public.gathering g
	where g.id = (select s.gathering_id from public.gathering_slot s where s.id = p_slot) for update;
	select * into v_slot from public.gathering_slot where id = p_slot for update;
	if not found then
		raise exception 'no such slot' using errcode = 'P0002';
	end if;
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
	if v_slot.kind = 'role' and not exists (
		select 1 from public.attendance a where a.gathering_id = v_slot.gathering_id and a.member_id = v_member and a.status = 'going'
	) then
		raise exception 'a role is for someone who is coming' using errcode = 'P0001', hint = 'role_needs_place';
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

-- Moved down to the waitlist (or off the board): the roles go back. Leaving altogether already
-- gives everything back (attendance_drop_slots).
create function public.attendance_drop_roles() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	delete from public.slot_pledge p using public.gathering_slot s
	where s.id = p.slot_id and s.gathering_id = new.gathering_id and s.kind = 'role' and p.member_id = new.member_id;
	return null;
end
$$;
revoke execute on function public.attendance_drop_roles() from public;
create trigger attendance_roles after update of status on public.attendance
	for each row when (new.status in ('waitlist', 'maybe') and old.status = 'going' and new.member_id is not null)
	execute function public.attendance_drop_roles();
