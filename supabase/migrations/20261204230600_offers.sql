-- Offers of hands, knowledge and materials, matched to what activities need: offers by
-- members and organisations, needs posted by those who run an activity, and pledges on needs
-- whose quantities can never be over-pledged (the need row is locked, as `pledge_to_slot` locks a
-- slot); then suggestions, invitations and recognition.

create type public.offer_kind as enum ('hands', 'knowledge', 'materials');
create type public.offer_status as enum ('active', 'paused', 'withdrawn');
create type public.offer_frequency as enum ('once', 'weekly', 'monthly', 'now_and_then');
create type public.material_terms as enum ('lend', 'give');
create type public.material_handover as enum ('pick_up', 'delivered');
create type public.need_status as enum ('open', 'closed');
create type public.pledge_status as enum ('offered', 'accepted', 'delivered', 'declined', 'withdrawn');

-- Offers ------------------------------------------------------------------------------------
-- Given by a member on their own (member_id) or by an organisation (organisation_id, whose
-- members act for it; its offers stay when one of them leaves). `quantity` is how many:
-- people (hands), items (materials); knowledge is one.

create table public.offer (
	id uuid primary key default gen_random_uuid(),
	member_id uuid references public.member on delete cascade,
	organisation_id uuid references public.organisation on delete cascade,
	kind public.offer_kind not null,
	title text not null check (length(btrim(title)) between 1 and 120),
	details text not null default '' check (length(details) <= 2000),
	quantity integer not null default 1 check (quantity between 1 and 1000),
	-- hands: when (in words), how long, how often
	hands_when text not null default '' check (length(hands_when) <= 200),
	hands_minutes integer check (hands_minutes between 15 and 24 * 60),
	hands_frequency public.offer_frequency,
	-- knowledge: languages it can be shared in
	languages text[] not null default '{}'
		check (cardinality(languages) <= 8 and languages <@ array['nl','en','ar','tr','pl','uk','fr','de','es','so','ti','fa','ber','pap','zh']::text[]),
	-- materials: lend or give, picked up or delivered
	terms public.material_terms,
	handover public.material_handover,
	available_from date not null default current_date,
	available_until date,
	status public.offer_status not null default 'active',
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	check ((member_id is null) <> (organisation_id is null)),
	check (available_until is null or available_until >= available_from),
	check (kind = 'materials' or (terms is null and handover is null)),
	check (kind = 'materials' or quantity <= 50)
);
alter table public.offer enable row level security;
create index offer_member_idx on public.offer (member_id);
create index offer_organisation_idx on public.offer (organisation_id);
create trigger offer_touch before update on public.offer
	for each row execute function public.touch_updated_at();

create table public.offer_neighbourhood (
	offer_id uuid not null references public.offer on delete cascade,
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	primary key (offer_id, neighbourhood_id)
);
alter table public.offer_neighbourhood enable row level security;
create index offer_neighbourhood_nb_idx on public.offer_neighbourhood (neighbourhood_id);

create function public.is_offer_giver(p_offer uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.offer o
		where o.id = p_offer and (o.member_id = auth.uid() or (o.organisation_id is not null and public.is_organisation_member(o.organisation_id)))
	)
$$;
revoke execute on function public.is_offer_giver(uuid) from public;
grant execute on function public.is_offer_giver(uuid) to authenticated;

-- An offer shows in a neighbourhood to its members while active; an organisation's only
-- where a coordinator approved the organisation. Givers always see their own.
create function public.offer_shows_in(p_offer uuid, p_neighbourhood uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.offer o join public.offer_neighbourhood x on x.offer_id = o.id
		where o.id = p_offer and x.neighbourhood_id = p_neighbourhood and o.status = 'active'
			and (o.organisation_id is null or public.organisation_approved_in(o.organisation_id, p_neighbourhood))
	)
$$;
revoke execute on function public.offer_shows_in(uuid, uuid) from public;
grant execute on function public.offer_shows_in(uuid, uuid) to authenticated;

create function public.can_see_offer(p_offer uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select public.is_offer_giver(p_offer) or exists (
		select 1 from public.offer_neighbourhood x
		where x.offer_id = p_offer and public.is_neighbourhood_member(x.neighbourhood_id) and public.offer_shows_in(p_offer, x.neighbourhood_id)
	)
$$;
revoke execute on function public.can_see_offer(uuid) from public;
grant execute on function public.can_see_offer(uuid) to authenticated;

grant select on public.offer, public.offer_neighbourhood to authenticated;
grant select, insert, update, delete on public.offer, public.offer_neighbourhood to service_role;
create policy offer_read on public.offer for select to authenticated using (public.can_see_offer(id));
create policy offer_neighbourhood_read on public.offer_neighbourhood for select to authenticated
	using (public.is_offer_giver(offer_id) or (public.is_neighbourhood_member(neighbourhood_id) and public.offer_shows_in(offer_id, neighbourhood_id)));

-- Pausing and withdrawing are plain updates by the giver.
grant update (status) on public.offer to authenticated;
create policy offer_giver_update on public.offer for update to authenticated
	using (public.is_offer_giver(id)) with check (public.is_offer_giver(id));

-- Creates or edits an offer with its neighbourhoods in one transaction. A member offers only
-- where they belong; an organisation only where it asked to work (shown once approved).
create function public.save_offer(
	p_id uuid, p_organisation uuid, p_kind public.offer_kind, p_title text, p_details text, p_quantity integer,
	p_hands_when text, p_hands_minutes integer, p_hands_frequency public.offer_frequency, p_languages text[],
	p_terms public.material_terms, p_handover public.material_handover,
	p_available_from date, p_available_until date, p_neighbourhoods uuid[]
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid := p_id;
	v_offer public.offer;
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	if p_organisation is not null and not public.is_organisation_member(p_organisation) then
		raise exception 'only its members act for an organisation' using errcode = '42501';
	end if;
	if cardinality(p_neighbourhoods) is null or cardinality(p_neighbourhoods) = 0 or cardinality(p_neighbourhoods) > 20 then
		raise exception 'choose a neighbourhood' using errcode = 'P0001', hint = 'neighbourhoods';
	end if;
	if exists (
		select 1 from unnest(p_neighbourhoods) n(id)
		where case when p_organisation is null then not public.is_neighbourhood_member(n.id)
			else not exists (select 1 from public.organisation_neighbourhood x
				where x.organisation_id = p_organisation and x.neighbourhood_id = n.id and x.status <> 'declined') end
	) then
		raise exception 'not a neighbourhood you can offer in' using errcode = 'P0001', hint = 'neighbourhoods';
	end if;

	if v_id is null then
		insert into public.offer (member_id, organisation_id, kind, title, details, quantity, hands_when, hands_minutes,
			hands_frequency, languages, terms, handover, available_from, available_until)
		values (case when p_organisation is null then auth.uid() end, p_organisation, p_kind, btrim(p_title), coalesce(btrim(p_details), ''), p_quantity,
			coalesce(btrim(p_hands_when), ''), p_hands_minutes, p_hands_frequency, coalesce(p_languages, '{}'),
			p_terms, p_handover, coalesce(p_available_from, current_date), p_available_until)
		returning id into v_id;
	else
		select * into v_offer from public.offer where id = v_id for update;
		if not found or not public.is_offer_giver(v_id) or v_offer.organisation_id is distinct from p_organisation then
			raise exception 'only the giver edits an offer' using errcode = '42501';
		end if;
		update public.offer set kind = p_kind, title = btrim(p_title), details = coalesce(btrim(p_details), ''),
			quantity = p_quantity, hands_when = coalesce(btrim(p_hands_when), ''), hands_minutes = p_hands_minutes,
			hands_frequency = p_hands_frequency, languages = coalesce(p_languages, '{}'), terms = p_terms,
			handover = p_handover, available_from = coalesce(p_available_from, v_offer.available_from),
			available_until = p_available_until
		where id = v_id;
		delete from public.offer_neighbourhood where offer_id = v_id and neighbourhood_id <> all (p_neighbourhoods);
	end if;
	insert into public.offer_neighbourhood (offer_id, neighbourhood_id)
	select v_id, n.id from public.neighbourhood n where n.id = any (p_neighbourhoods)
	on conflict do nothing;
	return v_id;
end
$$;
revoke execute on function public.save_offer(uuid, uuid, public.offer_kind, text, text, integer, text, integer,
	public.offer_frequency, text[], public.material_terms, public.material_handover, date, date, uuid[]) from public;
grant execute on function public.save_offer(uuid, uuid, public.offer_kind, text, text, integer, text, integer,
	public.offer_frequency, text[], public.material_terms, public.material_handover, date, date, uuid[]) to authenticated;

-- Needs -------------------------------------------------------------------------------------
-- What an activity (or one gathering of it) asks for. `pledged` is kept by the pledge
-- functions under the need's row lock; the check is the last line of defence.

create table public.need (
	id uuid primary key default gen_random_uuid(),
	activity_id uuid not null references public.activity on delete cascade,
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	gathering_id uuid references public.gathering on delete cascade,
	-- The board slot nobody filled that this need asks help for.
	slot_id uuid references public.gathering_slot on delete set null,
	kind public.offer_kind not null,
	title text not null check (length(btrim(title)) between 1 and 120),
	details text not null default '' check (length(details) <= 2000),
	quantity integer not null default 1 check (quantity between 1 and 1000),
	pledged integer not null default 0 check (pledged >= 0),
	languages text[] not null default '{}'
		check (cardinality(languages) <= 8 and languages <@ array['nl','en','ar','tr','pl','uk','fr','de','es','so','ti','fa','ber','pap','zh']::text[]),
	-- For a need of the whole activity: the date it is needed by (none: any time).
	needed_on date,
	status public.need_status not null default 'open',
	created_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint need_not_over_pledged check (pledged <= quantity)
);
alter table public.need enable row level security;
create index need_neighbourhood_idx on public.need (neighbourhood_id, status);
create index need_gathering_idx on public.need (gathering_id);
create index need_activity_idx on public.need (activity_id);
create trigger need_touch before update on public.need
	for each row execute function public.touch_updated_at();

-- The neighbourhood follows the activity; a gathering and a slot must belong to it.
create function public.need_check_parts() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	select a.neighbourhood_id into new.neighbourhood_id from public.activity a where a.id = new.activity_id;
	if new.gathering_id is not null and not exists (
		select 1 from public.gathering g where g.id = new.gathering_id and g.activity_id = new.activity_id
	) then
		raise exception 'gathering is not of this activity' using errcode = '23514';
	end if;
	if new.slot_id is not null and not exists (
		select 1 from public.gathering_slot s where s.id = new.slot_id and s.gathering_id = new.gathering_id
	) then
		raise exception 'slot is not of this gathering' using errcode = '23514';
	end if;
	if new.gathering_id is not null then
		new.needed_on := null;
	end if;
	return new;
end
$$;
create trigger need_parts before insert or update of activity_id, gathering_id, slot_id, needed_on on public.need
	for each row execute function public.need_check_parts();
revoke execute on function public.need_check_parts() from public;

-- Needs are public, like the slots of a board: "20 chairs on 14 March" names nobody.
grant select on public.need to anon, authenticated;
grant insert (activity_id, gathering_id, slot_id, kind, title, details, quantity, languages, needed_on, created_by),
	update (title, details, quantity, languages, needed_on, status) on public.need to authenticated;
grant select, insert, update, delete on public.need to service_role;
create policy need_read on public.need for select to anon, authenticated using (true);
create policy need_run_insert on public.need for insert to authenticated
	with check (created_by = (select auth.uid()) and public.can_run_activity(activity_id));
create policy need_run_update on public.need for update to authenticated
	using (public.can_run_activity(activity_id)) with check (public.can_run_activity(activity_id));

-- The date a need is for (the gathering's local date, or its own date).
create function public.need_date(p_need uuid) returns date
language sql stable security definer set search_path = ''
as $$
	select coalesce((g.starts_at at time zone a.schedule_time_zone)::date, n.needed_on)
	from public.need n join public.activity a on a.id = n.activity_id
	left join public.gathering g on g.id = n.gathering_id
	where n.id = p_need
$$;
revoke execute on function public.need_date(uuid) from public;
grant execute on function public.need_date(uuid) to anon, authenticated, service_role;

-- Pledges ---------------------------------------------------------------------------------------

create table public.pledge (
	id uuid primary key default gen_random_uuid(),
	need_id uuid not null references public.need on delete cascade,
	-- Empty once the giver deleted their account: what was given stays, without a name.
	member_id uuid references public.member on delete set null,
	organisation_id uuid references public.organisation on delete set null,
	offer_id uuid references public.offer on delete set null,
	quantity integer not null check (quantity between 1 and 1000),
	status public.pledge_status not null default 'offered',
	message text not null default '' check (length(message) <= 500),
	thanks text check (length(thanks) <= 300),
	thanked_at timestamptz,
	created_at timestamptz not null default now(),
	decided_at timestamptz,
	delivered_at timestamptz
);
alter table public.pledge enable row level security;
create index pledge_need_idx on public.pledge (need_id);
create index pledge_member_idx on public.pledge (member_id);
create index pledge_organisation_idx on public.pledge (organisation_id);

-- One open pledge per giver (person or organisation) on a need.
create unique index pledge_one_open on public.pledge (need_id, member_id, coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid))
	where status in ('offered', 'accepted');

-- What each side chose to share; the other side reads it only once the pledge is accepted.
create type public.pledge_side as enum ('giver', 'host');
create table public.pledge_contact (
	pledge_id uuid not null references public.pledge on delete cascade,
	side public.pledge_side not null,
	contact text not null check (length(btrim(contact)) between 1 and 300),
	primary key (pledge_id, side)
);
alter table public.pledge_contact enable row level security;

create function public.is_pledge_giver(p_pledge uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.pledge p
		where p.id = p_pledge and (p.member_id = auth.uid() or (p.organisation_id is not null and public.is_organisation_member(p.organisation_id)))
	)
$$;
revoke execute on function public.is_pledge_giver(uuid) from public;
grant execute on function public.is_pledge_giver(uuid) to authenticated;

create function public.runs_need(p_need uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (select 1 from public.need n where n.id = p_need and public.can_run_activity(n.activity_id))
$$;
revoke execute on function public.runs_need(uuid) from public;
grant execute on function public.runs_need(uuid) to authenticated;

grant select on public.pledge to authenticated;
grant select, insert, update, delete on public.pledge to service_role;
create policy pledge_read on public.pledge for select to authenticated
	using (public.is_pledge_giver(id) or public.runs_need(need_id));

grant select on public.pledge_contact to authenticated;
grant select, insert, update, delete on public.pledge_contact to service_role;
create policy pledge_contact_read on public.pledge_contact for select to authenticated
	using (exists (
		select 1 from public.pledge p where p.id = pledge_id and (
			(side = 'giver' and public.is_pledge_giver(p.id))
			or (side = 'host' and public.runs_need(p.need_id))
			or (p.status in ('accepted', 'delivered') and (public.is_pledge_giver(p.id) or public.runs_need(p.need_id)))
		)
	));

-- Invitations: a host asks the giver of a suggested offer whether they can help.
create table public.need_invitation (
	need_id uuid not null references public.need on delete cascade,
	offer_id uuid not null references public.offer on delete cascade,
	invited_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	primary key (need_id, offer_id)
);
alter table public.need_invitation enable row level security;
grant select on public.need_invitation to authenticated;
grant select, insert, update, delete on public.need_invitation to service_role;
create policy need_invitation_read on public.need_invitation for select to authenticated
	using (public.runs_need(need_id) or public.is_offer_giver(offer_id));

-- "I can help": a pledge of part of a need's quantity. The need row is locked, so however
-- many people answer at once the pledges never add up to more than is needed.
create function public.pledge_to_need(
	p_need uuid, p_quantity integer, p_organisation uuid default null, p_offer uuid default null,
	p_message text default '', p_contact text default ''
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_need public.need;
	v_gathering public.gathering;
	v_id uuid;
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	select * into v_need from public.need where id = p_need for update;
	if not found then
		raise exception 'no such need' using errcode = 'P0002';
	end if;
	if p_organisation is not null then
		if not public.is_organisation_member(p_organisation) then
			raise exception 'only its members act for an organisation' using errcode = '42501';
		end if;
		if not public.organisation_approved_in(p_organisation, v_need.neighbourhood_id) then
			raise exception 'this organisation is not approved here yet' using errcode = 'P0001', hint = 'not_approved';
		end if;
	elsif not public.is_neighbourhood_member(v_need.neighbourhood_id) then
		raise exception 'join the neighbourhood first' using errcode = '42501';
	end if;
	if p_offer is not null and not public.is_offer_giver(p_offer) then
		raise exception 'not your offer' using errcode = '42501';
	end if;
	select * into v_gathering from public.gathering where id = v_need.gathering_id;
	if v_need.status <> 'open'
		or (v_need.gathering_id is not null and (v_gathering.status = 'cancelled' or v_gathering.ends_at <= now()))
		or (v_need.needed_on is not null and v_need.needed_on < current_date) then
		raise exception 'this need is not open' using errcode = 'P0001', hint = 'closed';
	end if;
	if p_quantity is null or p_quantity < 1 or p_quantity > v_need.quantity then
		raise exception 'not a possible amount' using errcode = 'P0001', hint = 'quantity';
	end if;
	if v_need.pledged + p_quantity > v_need.quantity then
		raise exception 'not enough left' using errcode = 'P0001', hint = 'need_full', detail = (v_need.quantity - v_need.pledged)::text;
	end if;
	if exists (
		select 1 from public.pledge p where p.need_id = p_need and p.member_id = auth.uid()
			and p.organisation_id is not distinct from p_organisation and p.status in ('offered', 'accepted')
	) then
		raise exception 'you already offered to help with this' using errcode = 'P0001', hint = 'already_pledged';
	end if;
	insert into public.pledge (need_id, member_id, organisation_id, offer_id, quantity, message)
	values (p_need, auth.uid(), p_organisation, p_offer, p_quantity, coalesce(btrim(p_message), ''))
	returning id into v_id;
	if nullif(btrim(p_contact), '') is not null then
		insert into public.pledge_contact (pledge_id, side, contact) values (v_id, 'giver', btrim(p_contact));
	end if;
	update public.need set pledged = pledged + p_quantity where id = p_need;
	return v_id;
end
$$;
revoke execute on function public.pledge_to_need(uuid, integer, uuid, uuid, text, text) from public;
grant execute on function public.pledge_to_need(uuid, integer, uuid, uuid, text, text) to authenticated;

-- Moves a pledge along: those who run the activity accept or decline an offered pledge and
-- mark an accepted one delivered; the giver withdraws one not yet delivered. Declined and
-- withdrawn pledges give their quantity back, under the need's lock.
create function public.set_pledge_status(p_pledge uuid, p_status public.pledge_status, p_contact text default '')
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_pledge public.pledge;
	v_need public.need;
	v_need_id uuid;
	v_host boolean;
	v_giver boolean;
begin
	select need_id into v_need_id from public.pledge where id = p_pledge;
	if not found then
		raise exception 'no such pledge' using errcode = 'P0002';
	end if;
	-- Lock order: need first, then pledge (as pledge_to_need does).
	select * into v_need from public.need where id = v_need_id for update;
	select * into v_pledge from public.pledge where id = p_pledge for update;
	v_host := public.can_run_activity(v_need.activity_id);
	v_giver := public.is_pledge_giver(p_pledge);
	if not (
		(v_host and ((v_pledge.status = 'offered' and p_status in ('accepted', 'declined'))
			or (v_pledge.status = 'accepted' and p_status = 'delivered')))
		or (v_giver and v_pledge.status in ('offered', 'accepted') and p_status = 'withdrawn')
	) then
		if not (v_host or v_giver) then
			raise exception 'not your pledge' using errcode = '42501';
		end if;
		raise exception 'this step is not possible now' using errcode = 'P0001', hint = 'wrong_step';
	end if;
	update public.pledge set status = p_status,
		decided_at = case when p_status in ('accepted', 'declined') then now() else decided_at end,
		delivered_at = case when p_status = 'delivered' then now() else delivered_at end
	where id = p_pledge;
	if p_status in ('declined', 'withdrawn') then
		update public.need set pledged = pledged - v_pledge.quantity where id = v_need.id;
	end if;
	if p_status = 'accepted' and nullif(btrim(p_contact), '') is not null then
		insert into public.pledge_contact (pledge_id, side, contact) values (p_pledge, 'host', btrim(p_contact))
		on conflict (pledge_id, side) do update set contact = excluded.contact;
	end if;
	return jsonb_build_object('status', p_status, 'need_id', v_need.id, 'gathering_id', v_need.gathering_id,
		'neighbourhood_id', v_need.neighbourhood_id);
end
$$;
revoke execute on function public.set_pledge_status(uuid, public.pledge_status, text) from public;
grant execute on function public.set_pledge_status(uuid, public.pledge_status, text) to authenticated;

-- A host's thank-you for what was given; the giver sees it.
create function public.thank_pledge(p_pledge uuid, p_thanks text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (select 1 from public.pledge p where p.id = p_pledge and public.runs_need(p.need_id)) then
		raise exception 'only hosts thank givers' using errcode = '42501';
	end if;
	update public.pledge set thanks = nullif(btrim(p_thanks), ''), thanked_at = now()
	where id = p_pledge and status = 'delivered';
	if not found then
		raise exception 'thank once it was delivered' using errcode = 'P0001', hint = 'wrong_step';
	end if;
end
$$;
revoke execute on function public.thank_pledge(uuid, text) from public;
grant execute on function public.thank_pledge(uuid, text) to authenticated;

-- The pledges on needs a person may see (as giver or as one who runs the activity), with the
-- giver's display name and organisation: hosts need a name to decide, which the member
-- table's own rules would not show them.
create function public.visible_pledges(p_needs uuid[])
returns table (id uuid, need_id uuid, member_id uuid, giver_name text, organisation_id uuid, organisation_name text,
	offer_id uuid, quantity integer, status public.pledge_status, message text, thanks text, created_at timestamptz)
language sql stable security definer set search_path = ''
as $$
	select p.id, p.need_id, p.member_id, m.display_name, p.organisation_id, o.name, p.offer_id, p.quantity, p.status,
		p.message, p.thanks, p.created_at
	from public.pledge p
	left join public.member m on m.id = p.member_id
	left join public.organisation o on o.id = p.organisation_id
	where p.need_id = any (p_needs) and (public.is_pledge_giver(p.id) or public.runs_need(p.need_id))
	order by p.created_at
$$;
revoke execute on function public.visible_pledges(uuid[]) from public;
grant execute on function public.visible_pledges(uuid[]) to authenticated;

-- Offers shown in a neighbourhood (to its members), with the giver's display name or the
-- organisation's name: the member table's own rules would not show the name.
create function public.offers_in(p_neighbourhood uuid)
returns table (id uuid, kind public.offer_kind, title text, details text, quantity integer, hands_when text,
	hands_minutes integer, hands_frequency public.offer_frequency, languages text[], terms public.material_terms,
	handover public.material_handover, available_from date, available_until date, member_id uuid, giver_name text,
	organisation_id uuid, organisation_name text)
language sql stable security definer set search_path = ''
as $$
	select o.id, o.kind, o.title, o.details, o.quantity, o.hands_when, o.hands_minutes, o.hands_frequency, o.languages,
		o.terms, o.handover, o.available_from, o.available_until, o.member_id, m.display_name, o.organisation_id, org.name
	from public.offer o
	join public.offer_neighbourhood x on x.offer_id = o.id and x.neighbourhood_id = p_neighbourhood
	left join public.member m on m.id = o.member_id
	left join public.organisation org on org.id = o.organisation_id
	where public.is_neighbourhood_member(p_neighbourhood) and public.offer_shows_in(o.id, p_neighbourhood)
	order by o.created_at desc
	limit 200
$$;
revoke execute on function public.offers_in(uuid) from public;
grant execute on function public.offers_in(uuid) to authenticated;

-- Closing a need keeps its pledges (the host settles them); lowering the quantity below what
-- is pledged is refused by the check on `pledged`.

-- Suggested offers for a need: same kind, shown in its neighbourhood, available on its date,
-- enough for what is still open; not already invited or pledged. For those who run it.
create function public.suggested_offers(p_need uuid)
returns table (offer_id uuid, title text, quantity integer, giver_name text, organisation_id uuid, organisation_name text,
	available_until date, invited boolean)
language sql stable security definer set search_path = ''
as $$
	select o.id, o.title, o.quantity,
		case when o.organisation_id is null then m.display_name end, o.organisation_id, org.name, o.available_until,
		exists (select 1 from public.need_invitation i where i.need_id = n.id and i.offer_id = o.id)
	from public.need n
	join public.offer_neighbourhood x on x.neighbourhood_id = n.neighbourhood_id
	join public.offer o on o.id = x.offer_id
	left join public.member m on m.id = o.member_id
	left join public.organisation org on org.id = o.organisation_id
	where n.id = p_need and public.runs_need(p_need) and n.status = 'open'
		and o.kind = n.kind and public.offer_shows_in(o.id, n.neighbourhood_id)
		and o.available_from <= coalesce(public.need_date(n.id), current_date)
		and (o.available_until is null or o.available_until >= coalesce(public.need_date(n.id), current_date))
		and n.pledged < n.quantity
		and (n.kind = 'knowledge' or o.quantity >= n.quantity - n.pledged)
		-- Not a giver who already helps with this need (through this offer or otherwise).
		and not exists (
			select 1 from public.pledge p
			where p.need_id = n.id and p.status in ('offered', 'accepted', 'delivered')
				and (p.offer_id = o.id or (o.organisation_id is not null and p.organisation_id = o.organisation_id)
					or (o.member_id is not null and p.organisation_id is null and p.member_id = o.member_id))
		)
	order by o.quantity, o.created_at
	limit 20
$$;
revoke execute on function public.suggested_offers(uuid) from public;
grant execute on function public.suggested_offers(uuid) to authenticated;

create function public.invite_offer(p_need uuid, p_offer uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (select 1 from public.suggested_offers(p_need) s where s.offer_id = p_offer) then
		raise exception 'not a suggested offer' using errcode = '42501';
	end if;
	insert into public.need_invitation (need_id, offer_id, invited_by) values (p_need, p_offer, auth.uid()) on conflict do nothing;
end
$$;
revoke execute on function public.invite_offer(uuid, uuid) from public;
grant execute on function public.invite_offer(uuid, uuid) to authenticated;

-- Recognition ----------------------------------------------------------------------------------

-- A member's own delivered pledges (not those made for an organisation), beside
-- `my_gathering_contributions` for board slots.
create function public.my_pledge_contributions()
returns table (kind public.offer_kind, title text, activity_title text, times integer, quantity integer, last_thanks text)
language sql stable security definer set search_path = ''
as $$
	select n.kind, n.title, a.title, count(*)::int, sum(p.quantity)::int,
		(array_agg(p.thanks order by p.thanked_at desc nulls last))[1]
	from public.pledge p join public.need n on n.id = p.need_id join public.activity a on a.id = n.activity_id
	where p.member_id = auth.uid() and p.organisation_id is null and p.status = 'delivered'
	group by n.kind, n.title, a.title
	order by count(*) desc, n.title
$$;
revoke execute on function public.my_pledge_contributions() from public;
grant execute on function public.my_pledge_contributions() to authenticated;

-- An organisation's record for a year: what it gave to how many activities ("lent 40 chairs
-- to 6 activities"). Public like its profile: figures, never names.
create function public.organisation_record(p_organisation uuid, p_year integer)
returns table (kind public.offer_kind, title text, terms public.material_terms, quantity integer, activities integer, times integer)
language sql stable security definer set search_path = ''
as $$
	select n.kind, n.title, o.terms, sum(p.quantity)::int, count(distinct n.activity_id)::int, count(*)::int
	from public.pledge p join public.need n on n.id = p.need_id
	left join public.offer o on o.id = p.offer_id
	where p.organisation_id = p_organisation and p.status = 'delivered'
		and extract(year from p.delivered_at) = p_year and public.can_see_organisation(p_organisation)
	group by n.kind, n.title, o.terms
	order by sum(p.quantity) desc
$$;
revoke execute on function public.organisation_record(uuid, integer) from public;
grant execute on function public.organisation_record(uuid, integer) to anon, authenticated, service_role;

-- Thanks an organisation received, for its members.
create function public.organisation_thanks(p_organisation uuid)
returns table (title text, activity_title text, thanks text, thanked_at timestamptz)
language sql stable security definer set search_path = ''
as $$
	select n.title, a.title, p.thanks, p.thanked_at
	from public.pledge p join public.need n on n.id = p.need_id join public.activity a on a.id = n.activity_id
	where p.organisation_id = p_organisation and p.thanks is not null and public.is_organisation_member(p_organisation)
	order by p.thanked_at desc
	limit 50
$$;
revoke execute on function public.organisation_thanks(uuid) from public;
grant execute on function public.organisation_thanks(uuid) to authenticated;
