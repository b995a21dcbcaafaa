-- Reminders the day before a gathering, and notices when it is cancelled or moved — only for
-- people who asked. Delivered by e-mail when the member confirmed one, otherwise by web push
-- to the devices they turned notifications on for. The server sends; members never write the
-- notice queue.

-- "Remind me the day before" (and tell me if it is cancelled or moved).
create table public.gathering_reminder (
	gathering_id uuid not null references public.gathering on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	created_at timestamptz not null default now(),
	primary key (gathering_id, member_id)
);
alter table public.gathering_reminder enable row level security;
create index gathering_reminder_member_idx on public.gathering_reminder (member_id);
grant select, insert (gathering_id, member_id), delete on public.gathering_reminder to authenticated;
grant select, insert, update, delete on public.gathering_reminder to service_role;
create policy reminder_own on public.gathering_reminder for all to authenticated
	using (member_id = (select auth.uid()))
	with check (member_id = (select auth.uid()) and exists (
		select 1 from public.gathering g join public.activity a on a.id = g.activity_id
		where g.id = gathering_id and public.is_neighbourhood_member(a.neighbourhood_id)));

-- A device that accepts web push for a member (the browser's PushSubscription).
create table public.push_subscription (
	id uuid primary key default gen_random_uuid(),
	member_id uuid not null references public.member on delete cascade,
	endpoint text not null unique check (endpoint ~ '^https?://' and length(endpoint) <= 1000),
	p256dh text not null check (length(p256dh) between 20 and 200),
	auth text not null check (length(auth) between 8 and 100),
	created_at timestamptz not null default now()
);
alter table public.push_subscription enable row level security;
create index push_subscription_member_idx on public.push_subscription (member_id);
grant select (id, created_at), delete on public.push_subscription to authenticated;
grant select, insert, update, delete on public.push_subscription to service_role;
create policy push_own on public.push_subscription for all to authenticated using (member_id = (select auth.uid()));

-- A device moves to whoever is signed in on it now (one browser, one subscription).
create function public.save_push_subscription(p_endpoint text, p_p256dh text, p_auth text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	insert into public.push_subscription (member_id, endpoint, p256dh, auth)
	values (auth.uid(), p_endpoint, p_p256dh, p_auth)
	on conflict (endpoint) do update set member_id = excluded.member_id, p256dh = excluded.p256dh, auth = excluded.auth;
end
$$;
revoke execute on function public.save_push_subscription(text, text, text) from public;
grant execute on function public.save_push_subscription(text, text, text) to authenticated;

-- What the board shows the caller about reminders, in one round trip: asked for this date?
-- a confirmed e-mail to send to? how many devices take notifications?
create function public.my_reminder(p_gathering uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	select jsonb_build_object(
		'on', exists (select 1 from public.gathering_reminder where gathering_id = p_gathering and member_id = auth.uid()),
		'email', coalesce((select u."emailVerified" and u."email" not like '%@guest.buurtbord.invalid'
			from identity."user" u where u."id" = auth.uid()), false),
		'devices', (select count(*)::int from public.push_subscription where member_id = auth.uid())
	)
$$;
revoke execute on function public.my_reminder(uuid) from public;
grant execute on function public.my_reminder(uuid) to authenticated;
create type public.notice_kind as enum ('reminder', 'cancelled', 'moved');

-- The queue of messages to send; filled by the database (so no change is missed, whoever made
-- it), emptied by the server's sender.
create table public.notice (
	id uuid primary key default gen_random_uuid(),
	member_id uuid not null references public.member on delete cascade,
	gathering_id uuid not null references public.gathering on delete cascade,
	kind public.notice_kind not null,
	created_at timestamptz not null default now(),
	sent_at timestamptz
);
alter table public.notice enable row level security;
grant select, insert, update, delete on public.notice to service_role;
create unique index notice_one_reminder on public.notice (member_id, gathering_id) where kind = 'reminder';
create index notice_unsent_idx on public.notice (created_at) where sent_at is null;

-- Who asked and is still coming (going, waitlist or maybe).
create function public.gathering_changed_notices() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
	v_kind public.notice_kind;
begin
	if new.status = 'cancelled' and old.status <> 'cancelled' then
		v_kind := 'cancelled';
	elsif new.status = 'scheduled' and (new.starts_at, new.place_name, new.place_address) is distinct from (old.starts_at, old.place_name, old.place_address) then
		v_kind := 'moved';
	else
		return null;
	end if;
	insert into public.notice (member_id, gathering_id, kind)
	select r.member_id, new.id, v_kind
	from public.gathering_reminder r
	join public.attendance a on a.gathering_id = r.gathering_id and a.member_id = r.member_id
	where r.gathering_id = new.id and a.status in ('going', 'waitlist', 'maybe') and new.ends_at > now();
	return null;
end
$$;
create trigger gathering_notices after update on public.gathering
	for each row execute function public.gathering_changed_notices();

-- Reminders fall due 24 hours before the start, for those who asked before then.
create function public.queue_due_reminders() returns integer
language sql security definer set search_path = ''
as $$
	with queued as (
		insert into public.notice (member_id, gathering_id, kind)
		select r.member_id, r.gathering_id, 'reminder'
		from public.gathering_reminder r
		join public.gathering g on g.id = r.gathering_id
		join public.attendance a on a.gathering_id = r.gathering_id and a.member_id = r.member_id
		where g.status = 'scheduled' and g.starts_at > now() and g.starts_at <= now() + interval '24 hours'
			and r.created_at <= g.starts_at - interval '24 hours'
			and a.status in ('going', 'waitlist', 'maybe')
		on conflict do nothing
		returning 1
	)
	select count(*)::int from queued
$$;
-- Takes up to p_limit unsent notices (skipping any another server instance is taking), marks
-- them sent, and returns what is needed to write them. At most once: a message that fails is
-- logged, not repeated.
create function public.claim_notices(p_limit integer)
returns table (
	id uuid, kind public.notice_kind, member_id uuid, locale text, email text,
	gathering_id uuid, title text, starts_at timestamptz, time_zone text, place_name text, status public.gathering_status
)
language sql security definer set search_path = ''
as $$
	with claimed as (
		update public.notice n set sent_at = now()
		where n.id in (
			select x.id from public.notice x where x.sent_at is null order by x.created_at
			for update skip locked limit p_limit
		)
		returning n.id, n.kind, n.member_id, n.gathering_id
	)
	select c.id, c.kind, c.member_id, m.locale,
		case when u."emailVerified" and u."email" not like '%@guest.buurtbord.invalid' then u."email" end,
		g.id, a.title, g.starts_at, a.schedule_time_zone, coalesce(g.place_name, a.place_name), g.status
	from claimed c
	join public.member m on m.id = c.member_id
	join public.gathering g on g.id = c.gathering_id
	join public.activity a on a.id = g.activity_id
	left join identity."user" u on u."id" = c.member_id
$$;
revoke execute on function public.queue_due_reminders(), public.claim_notices(integer) from public;
grant execute on function public.queue_due_reminders(), public.claim_notices(integer) to service_role;
