-- Hosts thank helpers, and helpers keep a log of what they did.

alter table public.slot_pledge
	add column thanks text check (length(thanks) <= 300),
	add column thanked_at timestamptz;

-- Those who run the activity thank a helper for what they did or brought.
create function public.thank_helper(p_pledge uuid, p_thanks text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.slot_pledge p
		join public.gathering_slot s on s.id = p.slot_id
		join public.gathering g on g.id = s.gathering_id
		where p.id = p_pledge and public.can_run_activity(g.activity_id)
	) then
		raise exception 'only hosts thank helpers' using errcode = '42501';
	end if;
	update public.slot_pledge set thanks = nullif(btrim(p_thanks), ''), thanked_at = now() where id = p_pledge;
end
$$;
revoke execute on function public.thank_helper(uuid, text) from public;
grant execute on function public.thank_helper(uuid, text) to authenticated;

-- A helper's own log: what they did at gatherings that have taken place, and thanks received.
create function public.my_contributions()
returns table (label text, kind public.slot_kind, times integer, quantity integer, last_thanks text)
language sql stable security definer set search_path = ''
as $$
	select s.label, s.kind, count(*)::int, sum(p.quantity)::int,
		(array_agg(p.thanks order by p.thanked_at desc nulls last))[1]
	from public.slot_pledge p
	join public.gathering_slot s on s.id = p.slot_id
	join public.gathering g on g.id = s.gathering_id
	where p.member_id = auth.uid() and g.starts_at <= now() and g.status = 'scheduled'
	group by s.label, s.kind
	order by count(*) desc, s.label
$$;
revoke execute on function public.my_contributions() from public;
grant execute on function public.my_contributions() to authenticated;
