-- Regulars: "I come every week". Each new gathering of the activity puts them on the board
-- (going while there is room, otherwise on the waitlist, in the order they became regulars);
-- skipping one date is simply answering "can't come" on that date.

create table public.standing_signup (
	activity_id uuid not null references public.activity on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	guests integer not null default 0 check (guests between 0 and 10),
	created_at timestamptz not null default now(),
	primary key (activity_id, member_id)
);
alter table public.standing_signup enable row level security;
grant select on public.standing_signup to authenticated;
create policy standing_own_read on public.standing_signup for select to authenticated
	using (member_id = auth.uid() or public.can_run_activity(activity_id));

-- Turns a member's standing sign-up on (signing them up for every upcoming date they have not
-- answered yet) or off (their answers on upcoming dates stay as they are).
create function public.set_standing(p_activity uuid, p_on boolean, p_guests integer default 0) returns integer
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
		order by g.starts_at
	loop
		perform public.set_attendance(v_gathering, 'going', p_guests);
		v_count := v_count + 1;
	end loop;
	return v_count;
end
$$;
revoke execute on function public.set_standing(uuid, boolean, integer) from public;
grant execute on function public.set_standing(uuid, boolean, integer) to authenticated;

create function public.gathering_add_regulars() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.status <> 'scheduled' then
		return null;
	end if;
	insert into public.attendance (gathering_id, member_id, status, guests, waitlist_position, first_time)
	select new.id, s.member_id, 'waitlist', s.guests, nextval('public.waitlist_arrival'), false
	from public.standing_signup s where s.activity_id = new.activity_id
	order by s.created_at
	on conflict do nothing;
	perform public.rebalance_gathering(new.id);
	-- Regulars were not "moved up": they simply have their place.
	update public.attendance set promoted_at = null
	where gathering_id = new.id and member_id in (select member_id from public.standing_signup where activity_id = new.activity_id);
	return null;
end
$$;
create trigger gathering_regulars after insert on public.gathering
	for each row execute function public.gathering_add_regulars();

grant all on all tables in schema public to service_role;
