-- People who move up from the waitlist together (one leaves a place for two) stand on the
-- board in the order they waited: each one's arrival is the moment they moved up
-- (clock_timestamp), not the transaction's start, which they all shared, so the board's order
-- among them (by going_since) was left to chance.

-- rebalance_gathering as it was (20261204230300_boards.sql), with that one change.
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
		set status = 'going', waitlist_position = null, going_since = clock_timestamp(), promoted_at = now(), demoted_at = null, updated_at = now()
		where id = v_next.id;
	end loop;
end
$$;
