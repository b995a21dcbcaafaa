-- Joining while signed in already (from another neighbourhood, or with a code): the person has a
-- member profile, and the app sends no name. `insert … on conflict do nothing` still checks the
-- new row's constraints before it finds the conflict, so an empty name was refused (a 500). The
-- profile is made only for someone who has none.

create or replace function public.join_openly(p_neighbourhood uuid, p_member_id uuid, p_display_name text, p_locale text)
returns table (neighbourhood_id uuid, joined_now boolean)
language plpgsql security definer set search_path = ''
as $$
declare
	v_open boolean;
	v_new boolean;
begin
	select n.open_for_joining into v_open from public.neighbourhood n where n.id = p_neighbourhood for share;
	if not found then
		raise exception 'neighbourhood not found' using errcode = 'P0002';
	end if;
	if not v_open then
		raise exception 'this neighbourhood takes invite codes only' using errcode = 'P0001', hint = 'closed';
	end if;
	if not exists (select 1 from public.member m where m.id = p_member_id) then
		insert into public.member (id, display_name, locale)
		values (p_member_id, btrim(p_display_name), p_locale)
		on conflict (id) do nothing;
	end if;
	insert into public.neighbourhood_member (neighbourhood_id, member_id)
	values (p_neighbourhood, p_member_id)
	on conflict do nothing;
	v_new := found;
	return query select p_neighbourhood, v_new;
end
$$;

create or replace function public.join_with_invite(
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

	if not exists (select 1 from public.member m where m.id = p_member_id) then
		insert into public.member (id, display_name, locale)
		values (p_member_id, btrim(p_display_name), p_locale)
		on conflict (id) do nothing;
	end if;

	insert into public.neighbourhood_member (neighbourhood_id, member_id)
	values (v_invite.neighbourhood_id, p_member_id)
	on conflict do nothing;
	v_new := found;

	update public.invite set use_count = use_count + 1 where id = v_invite.id;
	return query select v_invite.neighbourhood_id, v_invite.activity_id, v_new;
end
$$;
