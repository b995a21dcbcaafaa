-- After a gathering: who came (optional), one question to attendees, seen only by hosts.

alter table public.attendance add column came boolean;

create table public.gathering_feedback (
	gathering_id uuid not null references public.gathering on delete cascade,
	-- Kept without a name when the member deletes their account.
	member_id uuid references public.member on delete set null,
	rating smallint not null check (rating between 1 and 3),
	comment text not null default '' check (length(comment) <= 500),
	created_at timestamptz not null default now(),
	unique (gathering_id, member_id)
);
alter table public.gathering_feedback enable row level security;

-- Hosts (and coordinators stepping in) read it; each person sees their own answer.
grant select on public.gathering_feedback to authenticated;
create policy feedback_read on public.gathering_feedback for select to authenticated
	using (member_id = auth.uid() or exists (
		select 1 from public.gathering g where g.id = gathering_id and public.can_run_activity(g.activity_id)));

-- Only people who were going may answer, once the gathering has started.
create function public.give_feedback(p_gathering uuid, p_rating integer, p_comment text) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (
		select 1 from public.attendance a join public.gathering g on g.id = a.gathering_id
		where a.gathering_id = p_gathering and a.member_id = auth.uid() and a.status = 'going' and g.starts_at <= now()
	) then
		raise exception 'only people who came can answer' using errcode = '42501';
	end if;
	insert into public.gathering_feedback (gathering_id, member_id, rating, comment)
	values (p_gathering, auth.uid(), p_rating, coalesce(btrim(p_comment), ''))
	on conflict (gathering_id, member_id) do update set rating = excluded.rating, comment = excluded.comment;
end
$$;

-- Hosts mark who came (optional).
create function public.mark_came(p_gathering uuid, p_member uuid, p_came boolean) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	if not exists (select 1 from public.gathering g where g.id = p_gathering and public.can_run_activity(g.activity_id)) then
		raise exception 'only hosts mark who came' using errcode = '42501';
	end if;
	update public.attendance set came = p_came where gathering_id = p_gathering and member_id = p_member;
end
$$;
revoke execute on function public.give_feedback(uuid, integer, text), public.mark_came(uuid, uuid, boolean) from public;
grant execute on function public.give_feedback(uuid, integer, text), public.mark_came(uuid, uuid, boolean) to authenticated;
grant all on all tables in schema public to service_role;
