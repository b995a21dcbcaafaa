-- Organisations: supporting organisations with their own members, approved per
-- neighbourhood by its coordinators, and links that bring colleagues in. Their offers, and
-- what they gave, come with the offers migration.

create type public.organisation_approval as enum ('pending', 'approved', 'declined');

create table public.organisation (
	id uuid primary key default gen_random_uuid(),
	name text not null check (length(btrim(name)) between 1 and 120),
	description text not null default '' check (length(description) <= 2000),
	website text check (website ~ '^https?://[^\s<>"]+$' and length(website) <= 500),
	-- A logo by address only (no uploads to store or scan); https so pages stay secure.
	logo_url text check (logo_url ~ '^https://[^\s<>"]+$' and length(logo_url) <= 500),
	created_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
alter table public.organisation enable row level security;
create trigger organisation_touch before update on public.organisation
	for each row execute function public.touch_updated_at();

-- Contact shown to those who run activities where the organisation is approved; kept apart
-- from the public profile so its own rules apply.
create table public.organisation_contact (
	organisation_id uuid primary key references public.organisation on delete cascade,
	contact text not null default '' check (length(contact) <= 300)
);
alter table public.organisation_contact enable row level security;

create table public.organisation_member (
	organisation_id uuid not null references public.organisation on delete cascade,
	member_id uuid not null references public.member on delete cascade,
	added_at timestamptz not null default now(),
	primary key (organisation_id, member_id)
);
alter table public.organisation_member enable row level security;
create index organisation_member_member_idx on public.organisation_member (member_id);

create table public.organisation_neighbourhood (
	organisation_id uuid not null references public.organisation on delete cascade,
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	status public.organisation_approval not null default 'pending',
	requested_at timestamptz not null default now(),
	decided_at timestamptz,
	decided_by uuid references public.member on delete set null,
	primary key (organisation_id, neighbourhood_id)
);
alter table public.organisation_neighbourhood enable row level security;
create index organisation_neighbourhood_nb_idx on public.organisation_neighbourhood (neighbourhood_id);

create function public.is_organisation_member(p_organisation uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.organisation_member o where o.organisation_id = p_organisation and o.member_id = auth.uid()
	)
$$;
revoke execute on function public.is_organisation_member(uuid) from public;
grant execute on function public.is_organisation_member(uuid) to anon, authenticated, service_role;

create function public.organisation_approved_in(p_organisation uuid, p_neighbourhood uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select exists (
		select 1 from public.organisation_neighbourhood x
		where x.organisation_id = p_organisation and x.neighbourhood_id = p_neighbourhood and x.status = 'approved'
	)
$$;
revoke execute on function public.organisation_approved_in(uuid, uuid) from public;
grant execute on function public.organisation_approved_in(uuid, uuid) to anon, authenticated, service_role;

-- Who may see an organisation's profile: everyone once a neighbourhood approved it; before
-- that its own members and the coordinators who are asked to approve it.
create function public.can_see_organisation(p_organisation uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select public.is_organisation_member(p_organisation) or exists (
		select 1 from public.organisation_neighbourhood x
		where x.organisation_id = p_organisation
			and (x.status = 'approved' or public.is_neighbourhood_coordinator(x.neighbourhood_id))
	)
$$;
revoke execute on function public.can_see_organisation(uuid) from public;
grant execute on function public.can_see_organisation(uuid) to anon, authenticated, service_role;

-- Contact: its members, the coordinators asked to approve it, and whoever runs an activity
-- in a neighbourhood where it is approved.
create function public.can_see_organisation_contact(p_organisation uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select public.is_organisation_member(p_organisation) or exists (
		select 1 from public.organisation_neighbourhood x
		where x.organisation_id = p_organisation and (
			public.is_neighbourhood_coordinator(x.neighbourhood_id)
			or (x.status = 'approved' and exists (
				select 1 from public.activity a join public.activity_host h on h.activity_id = a.id
				where a.neighbourhood_id = x.neighbourhood_id and h.member_id = auth.uid()))
		)
	)
$$;
revoke execute on function public.can_see_organisation_contact(uuid) from public;
grant execute on function public.can_see_organisation_contact(uuid) to anon, authenticated, service_role;

grant select on public.organisation to anon, authenticated;
grant update (name, description, website, logo_url) on public.organisation to authenticated;
grant select, insert, update, delete on public.organisation to service_role;
create policy organisation_read on public.organisation for select to anon, authenticated
	using (public.can_see_organisation(id));
create policy organisation_member_update on public.organisation for update to authenticated
	using (public.is_organisation_member(id)) with check (public.is_organisation_member(id));

grant select, update (contact) on public.organisation_contact to authenticated;
grant select, insert, update, delete on public.organisation_contact to service_role;
create policy organisation_contact_read on public.organisation_contact for select to authenticated
	using (public.can_see_organisation_contact(organisation_id));
create policy organisation_contact_update on public.organisation_contact for update to authenticated
	using (public.is_organisation_member(organisation_id)) with check (public.is_organisation_member(organisation_id));

-- Members of an organisation see each other; nobody else sees who they are.
grant select on public.organisation_member to authenticated;
grant delete on public.organisation_member to authenticated;
grant select, insert, update, delete on public.organisation_member to service_role;
create policy organisation_member_read on public.organisation_member for select to authenticated
	using (member_id = (select auth.uid()) or public.is_organisation_member(organisation_id));
create policy organisation_member_leave on public.organisation_member for delete to authenticated
	using (member_id = (select auth.uid()));

-- Where it works: public once approved; requests are seen by its members and the coordinators.
grant select on public.organisation_neighbourhood to anon, authenticated;
grant select, insert, update, delete on public.organisation_neighbourhood to service_role;
create policy organisation_neighbourhood_read on public.organisation_neighbourhood for select to anon, authenticated
	using (status = 'approved' or public.is_organisation_member(organisation_id) or public.is_neighbourhood_coordinator(neighbourhood_id));

-- Creating an organisation: profile, contact, first member (the one asking) and the
-- neighbourhoods it asks to work in, in one transaction.
create function public.create_organisation(
	p_name text, p_description text, p_website text, p_logo_url text, p_contact text, p_neighbourhoods uuid[]
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid;
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	if cardinality(p_neighbourhoods) is null or cardinality(p_neighbourhoods) = 0 or cardinality(p_neighbourhoods) > 20 then
		raise exception 'choose a neighbourhood' using errcode = 'P0001', hint = 'neighbourhoods';
	end if;
	insert into public.organisation (name, description, website, logo_url, created_by)
	values (btrim(p_name), coalesce(btrim(p_description), ''), nullif(btrim(p_website), ''), nullif(btrim(p_logo_url), ''), auth.uid())
	returning id into v_id;
	insert into public.organisation_contact (organisation_id, contact) values (v_id, coalesce(btrim(p_contact), ''));
	insert into public.organisation_member (organisation_id, member_id) values (v_id, auth.uid());
	insert into public.organisation_neighbourhood (organisation_id, neighbourhood_id)
	select v_id, n.id from public.neighbourhood n where n.id = any (p_neighbourhoods);
	return v_id;
end
$$;
revoke execute on function public.create_organisation(text, text, text, text, text, uuid[]) from public;
grant execute on function public.create_organisation(text, text, text, text, text, uuid[]) to authenticated;

-- An organisation asks to work in one more neighbourhood (again after a decline).
create function public.request_organisation_neighbourhood(p_organisation uuid, p_neighbourhood uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not public.is_organisation_member(p_organisation) then
		raise exception 'only its members act for an organisation' using errcode = '42501';
	end if;
	insert into public.organisation_neighbourhood (organisation_id, neighbourhood_id) values (p_organisation, p_neighbourhood)
	on conflict (organisation_id, neighbourhood_id) do update set status = 'pending', requested_at = now(), decided_at = null, decided_by = null
		where public.organisation_neighbourhood.status = 'declined';
end
$$;
revoke execute on function public.request_organisation_neighbourhood(uuid, uuid) from public;
grant execute on function public.request_organisation_neighbourhood(uuid, uuid) to authenticated;

-- A neighbourhood's coordinator approves (or declines) an organisation for that neighbourhood.
create function public.decide_organisation(p_organisation uuid, p_neighbourhood uuid, p_approve boolean) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not public.is_neighbourhood_coordinator(p_neighbourhood) then
		raise exception 'only coordinators approve organisations' using errcode = '42501';
	end if;
	update public.organisation_neighbourhood
	set status = case when p_approve then 'approved' else 'declined' end::public.organisation_approval,
		decided_at = now(), decided_by = auth.uid()
	where organisation_id = p_organisation and neighbourhood_id = p_neighbourhood;
	if not found then
		raise exception 'no such request' using errcode = 'P0002';
	end if;
end
$$;
revoke execute on function public.decide_organisation(uuid, uuid, boolean) from public;
grant execute on function public.decide_organisation(uuid, uuid, boolean) to authenticated;

-- Its members bring in someone else (a member of the app), or leave by deleting their row.
create function public.add_organisation_member(p_organisation uuid, p_member uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not public.is_organisation_member(p_organisation) then
		raise exception 'only its members add members' using errcode = '42501';
	end if;
	insert into public.organisation_member (organisation_id, member_id) values (p_organisation, p_member) on conflict do nothing;
end
$$;
revoke execute on function public.add_organisation_member(uuid, uuid) from public;
grant execute on function public.add_organisation_member(uuid, uuid) to authenticated;

-- A link a member gives a colleague to join the organisation: a 256-bit random token, stored
-- only as its hash, shown once; making a new one or switching it off stops the old one.
create table public.organisation_invite (
	id uuid primary key default gen_random_uuid(),
	organisation_id uuid not null references public.organisation on delete cascade,
	token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
	created_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	revoked_at timestamptz
);
alter table public.organisation_invite enable row level security;
create unique index organisation_invite_one_active on public.organisation_invite (organisation_id) where revoked_at is null;
grant select (id, organisation_id, created_at, revoked_at), update (revoked_at) on public.organisation_invite to authenticated;
grant select, insert, update, delete on public.organisation_invite to service_role;
create policy organisation_invite_read on public.organisation_invite for select to authenticated
	using (public.is_organisation_member(organisation_id));
create policy organisation_invite_revoke on public.organisation_invite for update to authenticated
	using (public.is_organisation_member(organisation_id)) with check (public.is_organisation_member(organisation_id));

create function public.create_organisation_invite(p_organisation uuid, p_token_hash text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid;
begin
	if not public.is_organisation_member(p_organisation) then
		raise exception 'only its members invite colleagues' using errcode = '42501';
	end if;
	update public.organisation_invite set revoked_at = now() where organisation_id = p_organisation and revoked_at is null;
	insert into public.organisation_invite (organisation_id, token_hash, created_by) values (p_organisation, p_token_hash, auth.uid())
	returning id into v_id;
	return v_id;
end
$$;

-- Where a colleague link leads (only an exact hash of a working link matches).
create function public.find_organisation_invite(p_token_hash text)
returns table (organisation_id uuid, name text)
language sql stable security definer set search_path = ''
as $$
	select o.id, o.name from public.organisation_invite i join public.organisation o on o.id = i.organisation_id
	where i.token_hash = p_token_hash and i.revoked_at is null
$$;

-- The signed-in member joins the organisation through a working link.
create function public.join_organisation(p_token_hash text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_organisation uuid;
begin
	if auth.uid() is null then
		raise exception 'sign in first' using errcode = '42501';
	end if;
	select organisation_id into v_organisation from public.organisation_invite where token_hash = p_token_hash and revoked_at is null;
	if not found then
		raise exception 'this link no longer works' using errcode = 'P0001', hint = 'invite_invalid';
	end if;
	insert into public.organisation_member (organisation_id, member_id) values (v_organisation, auth.uid()) on conflict do nothing;
	return v_organisation;
end
$$;
revoke execute on function public.create_organisation_invite(uuid, text), public.find_organisation_invite(text),
	public.join_organisation(text) from public;
grant execute on function public.create_organisation_invite(uuid, text), public.find_organisation_invite(text),
	public.join_organisation(text) to authenticated;
