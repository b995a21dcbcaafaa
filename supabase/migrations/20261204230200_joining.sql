-- Joining and identity: sign-in tables (better-auth) in their own schema, the app's rate
-- limits, invite codes and joining through them in one transaction, and personal return
-- links. Exporting and forgetting a member come last (account migration), once every table
-- that holds something of theirs exists.

-- Sign-in -----------------------------------------------------------------------------------
-- better-auth's tables, as its migration compiler generates them (anonymous and magic-link
-- plugins, database-backed rate limits). Outside `auth`, which Supabase owns, and outside
-- `public`, so the Data API never serves them; only the server's direct connection reads
-- them. RLS is on with no policies: the Data API roles get nothing.

create schema if not exists identity;
revoke all on schema identity from public;

create table identity."user" (
	"id" uuid default pg_catalog.gen_random_uuid() not null primary key,
	"name" text not null,
	"email" text not null unique,
	"emailVerified" boolean not null,
	"image" text,
	"createdAt" timestamptz default current_timestamp not null,
	"updatedAt" timestamptz default current_timestamp not null,
	"isAnonymous" boolean
);

create table identity."session" (
	"id" uuid default pg_catalog.gen_random_uuid() not null primary key,
	"expiresAt" timestamptz not null,
	"token" text not null unique,
	"createdAt" timestamptz default current_timestamp not null,
	"updatedAt" timestamptz not null,
	"ipAddress" text,
	"userAgent" text,
	"userId" uuid not null references identity."user" ("id") on delete cascade
);

create table identity."account" (
	"id" uuid default pg_catalog.gen_random_uuid() not null primary key,
	"accountId" text not null,
	"providerId" text not null,
	"userId" uuid not null references identity."user" ("id") on delete cascade,
	"accessToken" text,
	"refreshToken" text,
	"idToken" text,
	"accessTokenExpiresAt" timestamptz,
	"refreshTokenExpiresAt" timestamptz,
	"scope" text,
	"password" text,
	"createdAt" timestamptz default current_timestamp not null,
	"updatedAt" timestamptz not null
);

create table identity."verification" (
	"id" uuid default pg_catalog.gen_random_uuid() not null primary key,
	"identifier" text not null,
	"value" text not null,
	"expiresAt" timestamptz not null,
	"createdAt" timestamptz default current_timestamp not null,
	"updatedAt" timestamptz default current_timestamp not null
);

create table identity."rateLimit" (
	"id" uuid default pg_catalog.gen_random_uuid() not null primary key,
	"key" text not null unique,
	"count" integer not null,
	"lastRequest" bigint not null
);
create index "session_userId_idx" on identity."session" ("userId");
create index "account_userId_idx" on identity."account" ("userId");
create index "verification_identifier_idx" on identity."verification" ("identifier");

-- The app's own limits on joining, return links and magic links (rate-limiter-flexible).
create table identity.request_limit (
	key varchar(255) primary key,
	points integer not null default 0,
	expire bigint
);

alter table identity."user" enable row level security;
alter table identity."session" enable row level security;
alter table identity."account" enable row level security;
alter table identity."verification" enable row level security;
alter table identity."rateLimit" enable row level security;
alter table identity.request_limit enable row level security;

-- Invite codes -----------------------------------------------------------------------------
-- A code lets people join a neighbourhood (or an activity's neighbourhood). It is looked up
-- by its SHA-256 hash; the code itself is kept only sealed with the server's secret, so a
-- host can reprint a poster while a copy of the database alone reveals no working code.

create table public.invite (
	id uuid primary key default gen_random_uuid(),
	neighbourhood_id uuid not null references public.neighbourhood on delete cascade,
	activity_id uuid references public.activity on delete cascade,
	code_hash text not null unique check (code_hash ~ '^[0-9a-f]{64}$'),
	code_sealed text not null check (length(code_sealed) <= 500),
	label text not null default '' check (length(label) <= 80),
	created_by uuid references public.member on delete set null,
	created_at timestamptz not null default now(),
	expires_at timestamptz,
	revoked_at timestamptz,
	use_count integer not null default 0 check (use_count >= 0)
);
alter table public.invite enable row level security;
create index invite_neighbourhood_idx on public.invite (neighbourhood_id);
create index invite_activity_idx on public.invite (activity_id);

-- An activity invite must belong to that activity's neighbourhood.
create function public.invite_check_neighbourhood() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	if new.activity_id is not null and not exists (
		select 1 from public.activity a where a.id = new.activity_id and a.neighbourhood_id = new.neighbourhood_id
	) then
		raise exception 'invite activity is not in this neighbourhood' using errcode = '23514';
	end if;
	return new;
end
$$;
create trigger invite_neighbourhood before insert or update on public.invite
	for each row execute function public.invite_check_neighbourhood();

create function public.can_manage_invite(neighbourhood uuid, activity uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
	select case
		when activity is null then public.is_neighbourhood_coordinator(neighbourhood)
		else public.is_activity_host(activity) or public.is_neighbourhood_coordinator(neighbourhood)
	end
$$;
grant execute on function public.can_manage_invite(uuid, uuid) to authenticated;

grant select, insert (neighbourhood_id, activity_id, code_hash, code_sealed, label, created_by, expires_at)
	on public.invite to authenticated;
grant update (label, expires_at, revoked_at) on public.invite to authenticated;
grant select, insert, update, delete on public.invite to service_role;
create policy invite_manage_read on public.invite for select to authenticated
	using (public.can_manage_invite(neighbourhood_id, activity_id));
create policy invite_manage_create on public.invite for insert to authenticated
	with check (created_by = (select auth.uid()) and public.can_manage_invite(neighbourhood_id, activity_id));
create policy invite_manage_update on public.invite for update to authenticated
	using (public.can_manage_invite(neighbourhood_id, activity_id))
	with check (public.can_manage_invite(neighbourhood_id, activity_id));

-- What a welcome page may know about a code: where it leads and whether it still works.
-- Only an exact hash matches, so nothing can be listed or guessed through it.
create function public.find_invite(p_code_hash text)
returns table (invite_id uuid, neighbourhood_id uuid, activity_id uuid, status text)
language sql stable security definer set search_path = ''
as $$
	select i.id, i.neighbourhood_id, i.activity_id,
		case
			when i.revoked_at is not null then 'revoked'
			when i.expires_at is not null and i.expires_at <= now() then 'expired'
			when i.activity_id is not null and exists (
				select 1 from public.activity a where a.id = i.activity_id and a.status = 'ended'
			) then 'expired'
			else 'valid'
		end
	from public.invite i
	where i.code_hash = p_code_hash
$$;
revoke execute on function public.find_invite(text) from public;
grant execute on function public.find_invite(text) to anon, authenticated, service_role;

-- Joining through an invite, in one transaction: the invite is locked, checked and counted;
-- the member is created if new (a returning member keeps their name) and joins the
-- neighbourhood. Only the server (service_role) calls this, right after sign-in created
-- the person's session.
create function public.join_with_invite(
	p_code_hash text, p_member_id uuid, p_display_name text, p_locale text
)
returns table (neighbourhood_id uuid, activity_id uuid, joined_now boolean)
language plpgsql security definer set search_path = ''
as $$
declare
	v_invite public.invite;
	v_new boolean;
begin
	select * into v_invite from public.invite i where i.code_hash = p_code_hash for update;
	if not found then
		raise exception 'invite not found' using errcode = 'P0002';
	end if;
	if v_invite.revoked_at is not null
		or (v_invite.expires_at is not null and v_invite.expires_at <= now()) then
		raise exception 'invite no longer valid' using errcode = 'P0001', hint = 'invite_invalid';
	end if;

	insert into public.member (id, display_name, locale)
	values (p_member_id, btrim(p_display_name), p_locale)
	on conflict (id) do nothing;

	insert into public.neighbourhood_member (neighbourhood_id, member_id)
	values (v_invite.neighbourhood_id, p_member_id)
	on conflict do nothing;
	v_new := found;

	update public.invite set use_count = use_count + 1 where id = v_invite.id;
	return query select v_invite.neighbourhood_id, v_invite.activity_id, v_new;
end
$$;
revoke execute on function public.join_with_invite(text, uuid, text, text) from public;
grant execute on function public.join_with_invite(text, uuid, text, text) to service_role;

-- Personal return links ------------------------------------------------------------------
-- A link (and QR code) that signs a member in on another device, without e-mail. Stored only
-- as a hash; shown once when made. Making a new one revokes the old.

create table public.member_return_link (
	id uuid primary key default gen_random_uuid(),
	member_id uuid not null references public.member on delete cascade,
	token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
	created_at timestamptz not null default now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);
alter table public.member_return_link enable row level security;
create index member_return_link_member_idx on public.member_return_link (member_id);
create unique index member_return_link_one_active on public.member_return_link (member_id) where revoked_at is null;

grant select (id, member_id, created_at, last_used_at, revoked_at) on public.member_return_link to authenticated;
grant update (revoked_at) on public.member_return_link to authenticated;
grant select, insert, update, delete on public.member_return_link to service_role;
create policy return_link_own_read on public.member_return_link for select to authenticated
	using (member_id = (select auth.uid()));
create policy return_link_own_revoke on public.member_return_link for update to authenticated
	using (member_id = (select auth.uid())) with check (member_id = (select auth.uid()));

create function public.create_return_link(p_member_id uuid, p_token_hash text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid;
begin
	update public.member_return_link set revoked_at = now()
	where member_id = p_member_id and revoked_at is null;
	insert into public.member_return_link (member_id, token_hash) values (p_member_id, p_token_hash)
	returning id into v_id;
	return v_id;
end
$$;

-- The member a return link belongs to, if it still works; records its use.
create function public.use_return_link(p_token_hash text) returns uuid
language sql security definer set search_path = ''
as $$
	update public.member_return_link set last_used_at = now()
	where token_hash = p_token_hash and revoked_at is null
	returning member_id
$$;
revoke execute on function public.create_return_link(uuid, text), public.use_return_link(text) from public;
grant execute on function public.create_return_link(uuid, text), public.use_return_link(text) to service_role;
