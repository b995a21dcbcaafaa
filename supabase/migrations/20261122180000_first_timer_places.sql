-- Places held for first-timers (boards migration) open to everyone at their release time;
-- the server calls this regularly and announces the boards it returns (those where someone
-- moved up from the waitlist in this call).

create function public.release_first_timer_places() returns setof uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_gathering uuid;
begin
	for v_gathering in
		select g.id from public.gathering g join public.activity a on a.id = g.activity_id
		where a.first_timer_places > 0 and g.status = 'scheduled' and g.ends_at > now()
			and now() >= g.starts_at - make_interval(hours => a.first_timer_release_hours)
			and exists (select 1 from public.attendance x where x.gathering_id = g.id and x.status = 'waitlist')
		for update of g skip locked
	loop
		perform public.rebalance_gathering(v_gathering);
		-- promoted_at = now(): moved up by this very transaction.
		if exists (select 1 from public.attendance x where x.gathering_id = v_gathering and x.promoted_at = now()) then
			return next v_gathering;
		end if;
	end loop;
end
$$;
revoke execute on function public.release_first_timer_places() from public;
grant execute on function public.release_first_timer_places() to service_role;
