-- "First time" is a person's first date of an activity by the calendar, not by the order in
-- which they clicked: someone who signs up for next month first and then for next week is new
-- next week, and no longer next month. A date counts as been-to when they were going, it was not
-- cancelled and nobody ticked that they did not come. The mark is kept right on the person's
-- later dates whenever their answer changes or a date moves or is cancelled; places held for
-- first-timers follow the mark, so a place held at a later date is freed for a real newcomer.
-- Nobody's seat is taken for it: only the line for the held places changes, at the next change
-- of that date (no other date is locked here, so the lock order of board changes stays as it is).

create function public.first_time_at(p_member uuid, p_gathering uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select not exists (
		select 1
		from public.gathering this
		join public.gathering g on g.activity_id = this.activity_id
			and (g.starts_at, g.id) < (this.starts_at, this.id)
		join public.attendance a on a.gathering_id = g.id and a.member_id = p_member
		where this.id = p_gathering and g.status <> 'cancelled' and a.status = 'going' and a.came is not false
	)
$$;
revoke execute on function public.first_time_at(uuid, uuid) from public;

-- respond as it was (20261204230300_boards.sql), with "first time" by date.
create or replace function public.respond(p_gathering uuid, p_status public.attendance_status, p_guests integer default 0)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_member uuid := auth.uid();
	v_gathering public.gathering;
	v_activity public.activity;
	v_mine public.attendance;
	v_status public.attendance_status := p_status;
	v_first boolean;
begin
	v_gathering := public.lock_open_gathering(p_gathering);
	select * into v_activity from public.activity where id = v_gathering.activity_id;
	if p_guests < 0 or p_guests > v_activity.max_guests then
		raise exception 'too many guests' using errcode = 'P0001', hint = 'guests';
	end if;

	v_first := public.first_time_at(v_member, p_gathering);
	select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = v_member;

	if p_status = 'going' then
		if v_mine.status = 'going' then
			v_status := 'going';
		elsif public.fits(p_gathering, p_guests, v_first)
			and not exists (select 1 from public.attendance where gathering_id = p_gathering and status = 'waitlist'
				and (not v_first or first_time)) then
			v_status := 'going';
		else
			v_status := 'waitlist';
		end if;
	end if;

	insert into public.attendance as a (gathering_id, member_id, status, guests, waitlist_position, going_since, first_time)
	values (
		p_gathering, v_member, v_status, p_guests,
		case when v_status = 'waitlist' then nextval('public.waitlist_arrival') end,
		case when v_status = 'going' then now() end,
		v_first
	)
	on conflict (gathering_id, member_id) do update set
		status = excluded.status,
		guests = excluded.guests,
		first_time = excluded.first_time,
		waitlist_position = case
			when excluded.status <> 'waitlist' then null
			when a.status = 'waitlist' then a.waitlist_position
			else excluded.waitlist_position end,
		going_since = case when excluded.status = 'going' then coalesce(a.going_since, now()) end,
		promoted_at = case when excluded.status = 'going' then a.promoted_at end,
		updated_at = now();

	-- Only a change to the seats or to the line can move anyone: someone going or waiting
	-- changed their answer, or someone joined the line. A newcomer who simply fitted (or
	-- answered maybe / can't come) leaves the board as balanced as it was, so the lock is
	-- released sooner.
	if v_mine.status in ('going', 'waitlist') or v_status = 'waitlist' then
		perform public.rebalance_gathering(p_gathering);
		select * into v_mine from public.attendance where gathering_id = p_gathering and member_id = v_member;
		return jsonb_build_object('status', v_mine.status, 'guests', v_mine.guests);
	end if;
	return jsonb_build_object('status', v_status, 'guests', p_guests);
end
$$;

-- The person's later dates of the activity, after their answer on one date changed.
create function public.attendance_first_time_by_date() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_row public.attendance;
begin
	if tg_op = 'DELETE' then v_row := old; else v_row := new; end if;
	update public.attendance a set first_time = public.first_time_at(a.member_id, a.gathering_id), updated_at = now()
	from public.gathering this, public.gathering g
	where this.id = v_row.gathering_id and g.activity_id = this.activity_id
		and (g.starts_at, g.id) > (this.starts_at, this.id)
		and a.gathering_id = g.id and a.member_id = v_row.member_id
		and a.first_time is distinct from public.first_time_at(a.member_id, a.gathering_id);
	return null;
end
$$;
create trigger attendance_first_time_by_date after insert or delete or update of status, came on public.attendance
	for each row execute function public.attendance_first_time_by_date();

-- Everyone with an answer on a date that moved, was cancelled or came back: the order of their dates changed.
create function public.gathering_first_time_by_date() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	update public.attendance a set first_time = public.first_time_at(a.member_id, a.gathering_id), updated_at = now()
	from public.gathering g
	where g.activity_id = new.activity_id and a.gathering_id = g.id
		and a.member_id in (select x.member_id from public.attendance x where x.gathering_id = new.id)
		and a.first_time is distinct from public.first_time_at(a.member_id, a.gathering_id);
	return null;
end
$$;
create trigger gathering_first_time_by_date after update of starts_at, status on public.gathering
	for each row when ((old.starts_at, old.status) is distinct from (new.starts_at, new.status))
	execute function public.gathering_first_time_by_date();

revoke execute on function public.attendance_first_time_by_date(), public.gathering_first_time_by_date() from public;

-- Marks set before by the order of clicks, set right by date.
update public.attendance a set first_time = public.first_time_at(a.member_id, a.gathering_id)
where a.member_id is not null and a.first_time is distinct from public.first_time_at(a.member_id, a.gathering_id);
