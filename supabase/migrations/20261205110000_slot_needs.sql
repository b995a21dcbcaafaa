-- A need made from a board slot (a host asks beyond the board for "Afwassen: 2 people" or
-- "Klapstoelen: 20") and the slot itself are one job. What is pledged to the need counts on the
-- slot, so the board shows it taken and nobody staffs it twice; and neither way can pledge past
-- the slot's quantity. The slot's row is the lock both ways take (pledge_to_slot locks the
-- gathering, then the slot; a pledge to such a need locks the slot once its need is locked, and
-- pledge_to_slot never locks a need, so the two cannot wait on each other).

create index need_slot_idx on public.need (slot_id) where slot_id is not null;

-- How much of a slot is taken: by neighbours on the board, and by pledges to needs made from it
-- that still stand (offered, accepted or delivered).
create function public.slot_taken(p_slot uuid) returns integer
language sql stable security definer set search_path = ''
as $$
	select (coalesce((select sum(p.quantity) from public.slot_pledge p where p.slot_id = p_slot), 0)
		+ coalesce((select sum(p.quantity) from public.pledge p join public.need n on n.id = p.need_id
			where n.slot_id = p_slot and p.status in ('offered', 'accepted', 'delivered')), 0))::int
$$;
revoke execute on function public.slot_taken(uuid) from public;

-- board_summary as it was (20261204230300_boards.sql), with slots taken by needs' pledges too.
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
				'taken', public.slot_taken(s.id)) order by s.position, s.label)
			from public.gathering_slot s where s.gathering_id = p_gathering), '[]')
	)
$$;

-- pledge_to_slot as it was (20261205090000_roles_need_a_place.sql), counting needs' pledges.
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
		return jsonb_build_object('taken', 0, 'left', v_slot.quantity - public.slot_taken(p_slot));
	end if;
	if v_slot.kind = 'role' and not exists (
		select 1 from public.attendance a where a.gathering_id = v_slot.gathering_id and a.member_id = v_member and a.status = 'going'
	) then
		raise exception 'a role is for someone who is coming' using errcode = 'P0001', hint = 'role_needs_place';
	end if;
	-- Everyone else's part: neighbours on the board, and pledges to a need made from this slot.
	v_others := public.slot_taken(p_slot)
		- coalesce((select quantity from public.slot_pledge where slot_id = p_slot and member_id = v_member), 0);
	if v_others + p_quantity > v_slot.quantity then
		raise exception 'not enough left' using errcode = 'P0001', hint = 'slot_full', detail = (v_slot.quantity - v_others)::text;
	end if;
	insert into public.slot_pledge (slot_id, member_id, quantity) values (p_slot, v_member, p_quantity)
	on conflict (slot_id, member_id) do update set quantity = excluded.quantity;
	return jsonb_build_object('taken', p_quantity, 'left', v_slot.quantity - v_others - p_quantity);
end
$$;

-- A pledge to a need made from a slot fits in what the slot has left (pledge_to_need checked the
-- need's own quantity already, under the need's lock).
create function public.pledge_fits_slot() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_slot uuid;
	v_room integer;
begin
	select n.slot_id into v_slot from public.need n where n.id = new.need_id;
	if v_slot is null then
		return new;
	end if;
	perform 1 from public.gathering_slot where id = v_slot for update;
	select s.quantity - public.slot_taken(s.id) into v_room from public.gathering_slot s where s.id = v_slot;
	if new.quantity > v_room then
		raise exception 'not enough left' using errcode = 'P0001', hint = 'need_full', detail = greatest(v_room, 0)::text;
	end if;
	return new;
end
$$;
revoke execute on function public.pledge_fits_slot() from public;
create trigger pledge_fits_slot before insert on public.pledge
	for each row execute function public.pledge_fits_slot();
