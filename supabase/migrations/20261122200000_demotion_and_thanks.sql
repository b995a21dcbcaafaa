-- People moved back to the waitlist when a host lowers capacity are told so; hosts thank
-- helpers, and helpers keep a log of what they did.

alter table public.attendance add column demoted_at timestamptz;

create or replace function public.rebalance_gathering(p_gathering uuid) returns void
language plpgsql security definer set search_path = ''
as $$
declare
	v_capacity integer;
	v_next public.attendance;
	v_front bigint;
begin
	select a.capacity into v_capacity
	from public.gathering g join public.activity a on a.id = g.activity_id where g.id = p_gathering;

	if v_capacity is not null then
		while public.seats_taken(p_gathering) > v_capacity loop
			select coalesce(min(waitlist_position), nextval('public.waitlist_arrival')) - 1 into v_front
			from public.attendance where gathering_id = p_gathering and status = 'waitlist';
			update public.attendance
			set status = 'waitlist', waitlist_position = v_front, going_since = null, demoted_at = now(), updated_at = now()
			where id = (
				select id from public.attendance where gathering_id = p_gathering and status = 'going'
				order by going_since desc, created_at desc limit 1
			);
		end loop;
	end if;

	loop
		select * into v_next from public.attendance
		where gathering_id = p_gathering and status = 'waitlist'
		order by waitlist_position limit 1;
		exit when not found;
		if not public.fits(p_gathering, v_next.guests, v_next.first_time) then
			select * into v_next from public.attendance
			where gathering_id = p_gathering and status = 'waitlist' and first_time
				and public.fits(p_gathering, guests, true)
			order by waitlist_position limit 1;
			exit when not found;
		end if;
		update public.attendance
		set status = 'going', waitlist_position = null, going_since = now(), promoted_at = now(), demoted_at = null, updated_at = now()
		where id = v_next.id;
	end loop;
end
$$;

alter table public.slot_pledge
	add column thanks text check (length(thanks) <= 300),
	add column thanked_at timestamptz;

-- Those who run the activity thank a helper for what they did or brought.
create function public.thank_helper(p_pledge uuid, p_thanks text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.slot_pledge p
		join public.gathering_slot s on s.id = p.slot_id
		join public.gathering g on g.id = s.gathering_id
		where p.id = p_pledge and public.can_run_activity(g.activity_id)
	) then
		raise exception 'only hosts thank helpers' using errcode = '42501';
	end if;
	update public.slot_pledge set thanks = nullif(btrim(p_thanks), ''), thanked_at = now() where id = p_pledge;
end
$$;
revoke execute on function public.thank_helper(uuid, text) from public;
grant execute on function public.thank_helper(uuid, text) to authenticated;

-- A helper's own log: what they did at gatherings that have taken place, and thanks received.
create function public.my_contributions()
returns table (label text, kind public.slot_kind, times integer, quantity integer, last_thanks text)
language sql stable security definer set search_path = ''
as $$
	select s.label, s.kind, count(*)::int, sum(p.quantity)::int,
		(array_agg(p.thanks order by p.thanked_at desc nulls last))[1]
	from public.slot_pledge p
	join public.gathering_slot s on s.id = p.slot_id
	join public.gathering g on g.id = s.gathering_id
	where p.member_id = auth.uid() and g.starts_at <= now() and g.status = 'scheduled'
	group by s.label, s.kind
	order by count(*) desc, s.label
$$;
revoke execute on function public.my_contributions() from public;
grant execute on function public.my_contributions() to authenticated;
