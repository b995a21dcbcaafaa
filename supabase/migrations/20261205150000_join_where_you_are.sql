-- Joining where you are. Links people forward (a board in WhatsApp, the public calendar feed, an
-- activity's page) carry no invite code, and a newcomer who opens one should not need one: a
-- neighbourhood's public pages are open for joining with a first name, unless a coordinator closes
-- them (then only invite codes work, as before). The same per-address limits as invite codes
-- apply (src/lib/server/rate-limit.ts), counted per neighbourhood instead of per code.

alter table public.neighbourhood add column open_for_joining boolean not null default true;
-- Coordinators open and close it (the neighbourhood_coordinator_update policy decides who).
grant update (open_for_joining) on public.neighbourhood to authenticated;

-- Makes a person a member of an open neighbourhood (and a member profile if they have none).
-- Service role only: the app calls it for a new guest or a signed-in person, after its limits.
create function public.join_openly(p_neighbourhood uuid, p_member_id uuid, p_display_name text, p_locale text)
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
	insert into public.member (id, display_name, locale)
	values (p_member_id, btrim(p_display_name), p_locale)
	on conflict (id) do nothing;
	insert into public.neighbourhood_member (neighbourhood_id, member_id)
	values (p_neighbourhood, p_member_id)
	on conflict do nothing;
	v_new := found;
	return query select p_neighbourhood, v_new;
end
$$;
revoke execute on function public.join_openly(uuid, uuid, text, text) from public;
grant execute on function public.join_openly(uuid, uuid, text, text) to service_role;
