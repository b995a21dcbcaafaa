-- Practical help to get to a gathering: someone to meet you at the door, a ride, childcare —
-- and the matching offers. Matched privately: only those who run the activity and the matched
-- pair see names; everyone else sees counts ("help arranged").

create type public.help_kind as enum ('door', 'ride', 'childcare');
-- "I'd like someone to meet me at the door", "I need a ride (for 2)", "childcare for 3 children".
create table public.help_request (
	id uuid primary key default gen_random_uuid(),
	gathering_id uuid not null references public.gathering on delete cascade,
	-- A deleted account takes its requests with it: they are about a person, not a count.
	member_id uuid not null references public.member on delete cascade,
	kind public.help_kind not null,
	-- People to drive or welcome, or children to look after.
	people integer not null default 1 check (people between 1 and 6),
	-- Only for the matched helper and the hosts ("I live near the station").
	note text not null default '' check (length(note) <= 200),
	created_at timestamptz not null default clock_timestamp(),
	unique (gathering_id, member_id, kind)
);
alter table public.help_request enable row level security;

-- "I can welcome someone", "I have 2 seats in my car", "I can look after children".
create table public.help_offer (
	id uuid primary key default gen_random_uuid(),
	gathering_id uuid not null references public.gathering on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	kind public.help_kind not null,
	places integer not null default 1 check (places between 1 and 8),
	note text not null default '' check (length(note) <= 200),
	created_at timestamptz not null default clock_timestamp(),
	unique (gathering_id, member_id, kind)
);
alter table public.help_offer enable row level security;

-- Who helps whom. A request has at most one helper; an offer's places are never exceeded
-- (match_help keeps that, under the gathering's row lock).
create table public.help_match (
	request_id uuid primary key references public.help_request on delete cascade,
	offer_id uuid not null references public.help_offer on delete cascade,
	matched_at timestamptz not null default clock_timestamp()
);
alter table public.help_match enable row level security;
create index help_request_gathering_idx on public.help_request (gathering_id);
create index help_offer_gathering_idx on public.help_offer (gathering_id);
create index help_match_offer_idx on public.help_match (offer_id);

-- Read access: your own rows, the other side of your match, and those who run the activity.
-- Nobody writes directly: ask_or_offer_help does, under the gathering's lock. The checks that look
-- across the three tables are security-definer functions, so the policies do not recurse.
create function public.help_request_visible(p_request uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.help_request r
		join public.gathering g on g.id = r.gathering_id
		left join public.help_match m on m.request_id = r.id
		left join public.help_offer o on o.id = m.offer_id
		where r.id = p_request
			and (r.member_id = auth.uid() or o.member_id = auth.uid() or public.can_run_activity(g.activity_id))
	)
$$;
create function public.help_offer_visible(p_offer uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.help_offer o
		join public.gathering g on g.id = o.gathering_id
		where o.id = p_offer
			and (o.member_id = auth.uid() or public.can_run_activity(g.activity_id) or exists (
				select 1 from public.help_match m join public.help_request r on r.id = m.request_id
				where m.offer_id = o.id and r.member_id = auth.uid()))
	)
$$;
revoke execute on function public.help_request_visible(uuid), public.help_offer_visible(uuid) from public;
grant execute on function public.help_request_visible(uuid), public.help_offer_visible(uuid) to authenticated;
grant select on public.help_request, public.help_offer, public.help_match to authenticated;
grant select, insert, update, delete on public.help_request, public.help_offer, public.help_match to service_role;
create policy help_request_read on public.help_request for select to authenticated using (public.help_request_visible(id));
create policy help_offer_read on public.help_offer for select to authenticated using (public.help_offer_visible(id));
create policy help_match_read on public.help_match for select to authenticated using (public.help_request_visible(request_id));

-- Brings the matches of a gathering in line: matches that still fit are kept (oldest first,
-- so nobody is shuffled to another helper); then every request without a helper, in the
-- order asked, gets the earliest offer of its kind with enough places left. Call with the
-- gathering row locked.
create function public.match_help(p_gathering uuid) returns void
language plpgsql security definer set search_path = ''
as $$
declare
	v_request public.help_request;
	v_offer uuid;
begin
	delete from public.help_match m
	using (
		select x.request_id,
			sum(r.people) over (partition by x.offer_id order by x.matched_at, x.request_id) as used,
			o.places
		from public.help_match x
		join public.help_request r on r.id = x.request_id
		join public.help_offer o on o.id = x.offer_id
		where o.gathering_id = p_gathering
	) fit
	where m.request_id = fit.request_id and fit.used > fit.places;

	for v_request in
		select r.* from public.help_request r
		where r.gathering_id = p_gathering and not exists (select 1 from public.help_match m where m.request_id = r.id)
		order by r.created_at, r.id
	loop
		select o.id into v_offer from public.help_offer o
		where o.gathering_id = p_gathering and o.kind = v_request.kind and o.member_id <> v_request.member_id
			and o.places - coalesce((
				select sum(r.people) from public.help_match m join public.help_request r on r.id = m.request_id
				where m.offer_id = o.id), 0) >= v_request.people
		order by o.created_at, o.id
		limit 1;
		if found then
			insert into public.help_match (request_id, offer_id) values (v_request.id, v_offer);
		end if;
	end loop;
end
$$;
-- Ask for help or offer it ('ask' | 'offer'); an amount of 0 withdraws. One short transaction
-- that locks the gathering, like respond. Only people on the board take part: help is
-- about getting to this gathering.
create function public.ask_or_offer_help(p_gathering uuid, p_side text, p_kind public.help_kind, p_amount integer, p_note text default '')
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_member uuid := auth.uid();
	v_note text := btrim(coalesce(p_note, ''));
begin
	perform public.lock_open_gathering(p_gathering);
	if p_side is null or p_side not in ('ask', 'offer') or p_kind is null or p_amount is null then
		raise exception 'not a possible choice' using errcode = 'P0001', hint = 'invalid';
	end if;
	if p_amount < 0 or p_amount > (case when p_side = 'ask' then 6 else 8 end) then
		raise exception 'not a possible amount' using errcode = 'P0001', hint = 'quantity';
	end if;
	if length(v_note) > 200 then
		raise exception 'note too long' using errcode = 'P0001', hint = 'text_too_long';
	end if;
	if p_amount > 0 and not exists (
		select 1 from public.attendance where gathering_id = p_gathering and member_id = v_member and status in ('going', 'waitlist', 'maybe')
	) then
		raise exception 'say first whether you come' using errcode = 'P0001', hint = 'not_on_board';
	end if;

	if p_side = 'ask' then
		if p_amount = 0 then
			delete from public.help_request where gathering_id = p_gathering and member_id = v_member and kind = p_kind;
		else
			insert into public.help_request (gathering_id, member_id, kind, people, note)
			values (p_gathering, v_member, p_kind, p_amount, v_note)
			on conflict (gathering_id, member_id, kind) do update set people = excluded.people, note = excluded.note;
		end if;
	else
		if p_amount = 0 then
			delete from public.help_offer where gathering_id = p_gathering and member_id = v_member and kind = p_kind;
		else
			insert into public.help_offer (gathering_id, member_id, kind, places, note)
			values (p_gathering, v_member, p_kind, p_amount, v_note)
			on conflict (gathering_id, member_id, kind) do update set places = excluded.places, note = excluded.note;
		end if;
	end if;

	perform public.match_help(p_gathering);

	return jsonb_build_object('matched', exists (
		select 1 from public.help_match m join public.help_request r on r.id = m.request_id
		where r.gathering_id = p_gathering and r.member_id = v_member and r.kind = p_kind
	));
end
$$;
revoke execute on function public.match_help(uuid), public.ask_or_offer_help(uuid, text, public.help_kind, integer, text) from public;
grant execute on function public.ask_or_offer_help(uuid, text, public.help_kind, integer, text) to authenticated;

-- Someone who can no longer come neither needs nor gives help: theirs goes, and the others
-- are matched again in the same transaction (respond holds the gathering's lock).
create function public.attendance_drop_help() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	delete from public.help_request where gathering_id = new.gathering_id and member_id = new.member_id;
	delete from public.help_offer where gathering_id = new.gathering_id and member_id = new.member_id;
	perform public.match_help(new.gathering_id);
	return null;
end
$$;
create trigger attendance_help after update of status on public.attendance
	for each row when (new.status = 'not_going' and old.status <> 'not_going' and new.member_id is not null)
	execute function public.attendance_drop_help();

-- The help on a board as the caller may see it: counts per kind for everyone; for those who
-- run the activity every request and offer with names; for others their own requests and
-- offers, with the name and note of the person they are matched with.
create function public.board_help(p_gathering uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	with runs as (
		select coalesce(public.can_run_activity(g.activity_id), false) as it
		from public.gathering g where g.id = p_gathering
	),
	requests as (
		select r.*, mem.display_name as name, m.offer_id, o.member_id as helper_id, helper.display_name as helper_name, o.note as helper_note
		from public.help_request r
		join public.member mem on mem.id = r.member_id
		left join public.help_match m on m.request_id = r.id
		left join public.help_offer o on o.id = m.offer_id
		left join public.member helper on helper.id = o.member_id
		where r.gathering_id = p_gathering
	),
	offers as (
		select o.*, mem.display_name as name,
			coalesce((select sum(r.people) from public.help_match m join public.help_request r on r.id = m.request_id where m.offer_id = o.id), 0)::int as used
		from public.help_offer o join public.member mem on mem.id = o.member_id
		where o.gathering_id = p_gathering
	)
	select jsonb_build_object(
		'counts', coalesce((
			select jsonb_agg(jsonb_build_object(
				'kind', k.kind,
				'asked', (select count(*) from requests r where r.kind = k.kind),
				'arranged', (select count(*) from requests r where r.kind = k.kind and r.offer_id is not null),
				'offered', (select count(*) from offers o where o.kind = k.kind)
			) order by k.kind)
			from unnest(enum_range(null::public.help_kind)) as k(kind)), '[]'),
		'asks', coalesce((
			select jsonb_agg(jsonb_build_object(
				'member_id', r.member_id, 'kind', r.kind, 'people', r.people, 'note', r.note, 'mine', r.member_id = auth.uid(),
				'name', r.name, 'helper', r.helper_name, 'helper_note', r.helper_note,
				'helper_is_me', r.helper_id is not distinct from auth.uid() and r.helper_id is not null
			) order by r.created_at, r.id)
			from requests r
			where (select it from runs) or r.member_id = auth.uid() or r.helper_id = auth.uid()), '[]'),
		'offers', coalesce((
			select jsonb_agg(jsonb_build_object(
				'kind', o.kind, 'places', o.places, 'used', o.used, 'note', o.note, 'mine', o.member_id = auth.uid(), 'name', o.name
			) order by o.created_at, o.id)
			from offers o
			where (select it from runs) or o.member_id = auth.uid()), '[]')
	)
$$;
revoke execute on function public.board_help(uuid) from public;
grant execute on function public.board_help(uuid) to anon, authenticated;
