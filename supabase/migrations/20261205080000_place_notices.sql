-- People are told what happens to their place: moved up from the waitlist, moved down by a
-- capacity cut, their date cancelled or moved, the activity ended. Queued in the database (so
-- no code path can forget), sent once by the server's sender (claim_notices), by the channels
-- the member has. Reminders the day before stay for those who asked; these notices go to
-- everyone whose place it is.
--
-- New values are only used by plpgsql bodies, which PostgreSQL reads when they run, after this
-- migration has committed.
alter type public.notice_kind add value 'moved_up';
alter type public.notice_kind add value 'moved_down';
alter type public.notice_kind add value 'ended';

-- Moved up or down: the moment is set by the rules that move people (promoted_at, demoted_at).
create function public.attendance_place_notices() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	insert into public.notice (member_id, gathering_id, kind)
	select new.member_id, new.gathering_id, (case when new.status = 'going' then 'moved_up' else 'moved_down' end)::public.notice_kind
	from public.gathering g
	where g.id = new.gathering_id and g.status = 'scheduled' and g.ends_at > now();
	return null;
end
$$;
revoke execute on function public.attendance_place_notices() from public;
create trigger attendance_place_notices after update of promoted_at, demoted_at on public.attendance
	for each row when (new.member_id is not null and (
		(new.status = 'going' and new.promoted_at is not null and new.promoted_at is distinct from old.promoted_at)
		or (new.status = 'waitlist' and new.demoted_at is not null and new.demoted_at is distinct from old.demoted_at)))
	execute function public.attendance_place_notices();

-- A date cancelled or moved: now told to everyone still coming (going, waitlist or maybe), not
-- only to those who asked for a reminder; 'ended' when the cancellation comes from the
-- activity ending.
create or replace function public.gathering_changed_notices() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_kind public.notice_kind;
begin
	if new.status = 'cancelled' and old.status <> 'cancelled' then
		v_kind := case when exists (select 1 from public.activity a where a.id = new.activity_id and a.status = 'ended')
			then 'ended' else 'cancelled' end;
	elsif new.status = 'scheduled' and (new.starts_at, new.place_name, new.place_address) is distinct from (old.starts_at, old.place_name, old.place_address) then
		v_kind := 'moved';
	else
		return null;
	end if;
	insert into public.notice (member_id, gathering_id, kind)
	select a.member_id, new.id, v_kind
	from public.attendance a
	where a.gathering_id = new.id and a.member_id is not null and a.status in ('going', 'waitlist', 'maybe') and new.ends_at > now();
	return null;
end
$$;

-- Ending an activity ends its dates still to come: those nobody answered or brought anything
-- for go (as the series does when a date leaves it); the others are cancelled, so feeds show
-- them cancelled and everyone on them is told.
create function public.activity_ended() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	delete from public.gathering g
	where g.activity_id = new.id and g.starts_at > now() and not g.is_extra and g.sequence = 0
		and not exists (select 1 from public.attendance a where a.gathering_id = g.id and a.status in ('going', 'waitlist', 'maybe'))
		and not exists (select 1 from public.gathering_slot s join public.slot_pledge p on p.slot_id = s.id where s.gathering_id = g.id);
	update public.gathering g set status = 'cancelled'
	where g.activity_id = new.id and g.starts_at > now() and g.status = 'scheduled';
	return null;
end
$$;
revoke execute on function public.activity_ended() from public;
create trigger activity_ends after update of status on public.activity
	for each row when (new.status = 'ended' and old.status <> 'ended')
	execute function public.activity_ended();

-- Sent at once, not at the next round of the sender: whoever is moved up for tonight's dinner
-- must hear it tonight. The app's instances hear this on the channel they listen to for board
-- changes (realtime/attach.server.ts); claim_notices sends each notice once however many do.
create function public.notices_queued() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform pg_notify('buurtbord_changed', 'notices');
	return null;
end
$$;
revoke execute on function public.notices_queued() from public;
-- Per row, not per statement: a statement that inserts nothing (the sender's own round of due
-- reminders, mostly) must not start another round. One transaction's notifications with the
-- same payload arrive as one.
create trigger notice_queued after insert on public.notice
	for each row execute function public.notices_queued();
