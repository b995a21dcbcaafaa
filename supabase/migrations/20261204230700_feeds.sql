-- Calendar feeds: a member's personal feed behind a secret token, and cheap fingerprints so a
-- feed that has not changed is neither fetched nor built again.

-- Personal feed tokens ---------------------------------------------------------------------
-- 256-bit random tokens made by the server. Stored as a SHA-256 hash (to look them up) and
-- sealed with AUTH_SECRET (so the member can copy their link again); a copy of the database
-- alone gives no working link. A new token stops the old one at once.

create table public.calendar_feed_token (
	id uuid primary key default gen_random_uuid(),
	member_id uuid not null references public.member on delete cascade,
	token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
	token_sealed text not null check (length(token_sealed) <= 500),
	created_at timestamptz not null default now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);
alter table public.calendar_feed_token enable row level security;
create index calendar_feed_token_member_idx on public.calendar_feed_token (member_id);
create unique index calendar_feed_token_one_active on public.calendar_feed_token (member_id) where revoked_at is null;

-- Members see their own token's dates and sealed copy (useless without the server's secret),
-- never the hash; they may switch it off. Making one goes through the server.
grant select (id, member_id, token_sealed, created_at, last_used_at, revoked_at) on public.calendar_feed_token to authenticated;
grant update (revoked_at) on public.calendar_feed_token to authenticated;
grant select, insert, update, delete on public.calendar_feed_token to service_role;
create policy feed_token_own_read on public.calendar_feed_token for select to authenticated
	using (member_id = (select auth.uid()));
create policy feed_token_own_revoke on public.calendar_feed_token for update to authenticated
	using (member_id = (select auth.uid())) with check (member_id = (select auth.uid()) and revoked_at is not null);

-- Replaces the member's token (service role, after the server checked who asks).
create function public.create_feed_token(p_member_id uuid, p_token_hash text, p_token_sealed text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid;
begin
	update public.calendar_feed_token set revoked_at = now()
	where member_id = p_member_id and revoked_at is null;
	insert into public.calendar_feed_token (member_id, token_hash, token_sealed)
	values (p_member_id, p_token_hash, p_token_sealed)
	returning id into v_id;
	return v_id;
end
$$;
-- What a personal feed shows: the gatherings the member goes to or waits for, hosts, or helps
-- at (slot pledges), from `p_from` on. Runs as the member, so row-level security applies.
create function public.my_calendar(p_from timestamptz)
returns table (gathering_id uuid, roles text[], helps_with text[])
language sql stable security invoker set search_path = ''
as $$
	with mine as (
		select a.gathering_id, a.status::text as role, null::text as label
		from public.attendance a
		where a.member_id = auth.uid() and a.status in ('going', 'waitlist')
		union all
		select g.id, 'host', null
		from public.activity_host h join public.gathering g on g.activity_id = h.activity_id
		where h.member_id = auth.uid()
		union all
		select s.gathering_id, 'helping', s.label
		from public.slot_pledge p join public.gathering_slot s on s.id = p.slot_id
		where p.member_id = auth.uid()
	)
	select x.gathering_id,
		array_agg(distinct x.role order by x.role),
		coalesce(array_agg(distinct x.label order by x.label) filter (where x.label is not null), '{}')
	from mine x join public.gathering g on g.id = x.gathering_id
	where g.ends_at >= p_from
	group by x.gathering_id
$$;
revoke execute on function public.my_calendar(timestamptz) from public;
grant execute on function public.my_calendar(timestamptz) to authenticated;

-- The member behind a working token, their language, and a fingerprint of everything their
-- feed shows (so an unchanged feed is answered 304 without being built). Records use at most
-- once an hour, so polling calendar apps do not write on every request.
create function public.personal_feed_state(p_token_hash text, p_from timestamptz)
returns table (member_id uuid, locale text, fingerprint text)
language plpgsql security definer set search_path = ''
as $$
declare
	v_member uuid;
begin
	select t.member_id into v_member from public.calendar_feed_token t
	where t.token_hash = p_token_hash and t.revoked_at is null;
	if v_member is null then
		return;
	end if;
	update public.calendar_feed_token set last_used_at = now()
	where token_hash = p_token_hash and (last_used_at is null or last_used_at < now() - interval '1 hour');
	return query
	with mine as (
		select a.gathering_id as id, a.status::text || a.updated_at::text as what
		from public.attendance a where a.member_id = v_member and a.status in ('going', 'waitlist')
		union all
		select g.id, 'host' from public.activity_host h join public.gathering g on g.activity_id = h.activity_id
		where h.member_id = v_member
		union all
		select s.gathering_id, 'helping' || s.label from public.slot_pledge p join public.gathering_slot s on s.id = p.slot_id
		where p.member_id = v_member
	)
	select v_member, m.locale, md5(coalesce((
		select string_agg(x.id::text || x.what || g.updated_at::text || act.updated_at::text, ',' order by x.id, x.what)
		from mine x
		join public.gathering g on g.id = x.id
		join public.activity act on act.id = g.activity_id
		where g.ends_at >= p_from
	), '') || m.locale)
	from public.member m
	where m.id = v_member;
end
$$;
revoke execute on function public.create_feed_token(uuid, text, text), public.personal_feed_state(text, timestamptz) from public;
grant execute on function public.create_feed_token(uuid, text, text), public.personal_feed_state(text, timestamptz) to service_role;

-- Public feeds ------------------------------------------------------------------------------
-- A fingerprint of an activity's or a neighbourhood's feed from `p_from` on: every gathering's
-- id and last change, and its activity's. Anyone may ask; it reveals no more than the feed.

create function public.feed_fingerprint(p_activity uuid, p_neighbourhood uuid, p_from timestamptz)
returns table (fingerprint text, last_modified timestamptz, gatherings integer)
language sql stable security invoker set search_path = ''
as $$
	select md5(coalesce(string_agg(g.id::text || g.updated_at::text || a.updated_at::text, ',' order by g.id), '')
			|| coalesce((select n.name || n.updated_at::text from public.neighbourhood n where n.id = p_neighbourhood), '')),
		max(greatest(g.updated_at, a.updated_at)),
		count(g.id)::int
	from public.gathering g join public.activity a on a.id = g.activity_id
	where g.ends_at >= p_from
		and (p_activity is null or g.activity_id = p_activity)
		and (p_neighbourhood is null or a.neighbourhood_id = p_neighbourhood)
		and (p_activity is not null or p_neighbourhood is not null)
$$;
revoke execute on function public.feed_fingerprint(uuid, uuid, timestamptz) from public;
grant execute on function public.feed_fingerprint(uuid, uuid, timestamptz) to anon, authenticated, service_role;
