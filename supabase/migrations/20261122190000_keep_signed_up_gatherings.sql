-- Editing a series never deletes a gathering that people signed up for (or pledged for):
-- save_gatherings keeps it and reports it, like dates changed on their own.
create or replace function public.save_gatherings(p_activity uuid, p_occurrences jsonb, p_from timestamptz)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
	v_added integer;
	v_removed integer;
	v_kept jsonb;
begin
	if not (public.can_run_activity(p_activity) or auth.role() = 'service_role') then
		raise exception 'only hosts change the series' using errcode = '42501';
	end if;
	if jsonb_array_length(p_occurrences) > 400 then
		raise exception 'too many dates at once' using errcode = '22023';
	end if;
	-- Serialise changes to one series.
	perform 1 from public.activity where id = p_activity for update;

	with wanted as (
		select (o->>'occurrence_starts_at')::timestamptz as occurrence_starts_at,
		       (o->>'starts_at')::timestamptz as starts_at,
		       (o->>'ends_at')::timestamptz as ends_at
		from jsonb_array_elements(p_occurrences) o
	), gone as (
		delete from public.gathering g
		where g.activity_id = p_activity and g.starts_at >= p_from
			and not g.is_extra and g.sequence = 0
			and g.occurrence_starts_at not in (select occurrence_starts_at from wanted)
			-- Never a gathering people answered or pledged for: the host decides about those.
			and not exists (select 1 from public.attendance a where a.gathering_id = g.id and a.status in ('going', 'waitlist', 'maybe'))
			and not exists (select 1 from public.gathering_slot s join public.slot_pledge p on p.slot_id = s.id where s.gathering_id = g.id)
		returning 1
	)
	select count(*) into v_removed from gone;

	insert into public.gathering (activity_id, occurrence_starts_at, starts_at, ends_at)
	select p_activity, w.occurrence_starts_at, w.starts_at, w.ends_at
	from (
		select (o->>'occurrence_starts_at')::timestamptz as occurrence_starts_at,
		       (o->>'starts_at')::timestamptz as starts_at,
		       (o->>'ends_at')::timestamptz as ends_at
		from jsonb_array_elements(p_occurrences) o
	) w
	on conflict (activity_id, occurrence_starts_at) do nothing;
	get diagnostics v_added = row_count;

	select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'starts_at', g.starts_at, 'status', g.status)), '[]')
	into v_kept
	from public.gathering g
	where g.activity_id = p_activity and g.starts_at >= p_from and not g.is_extra
		and g.occurrence_starts_at not in (
			select (o->>'occurrence_starts_at')::timestamptz from jsonb_array_elements(p_occurrences) o
		);

	return jsonb_build_object('added', v_added, 'removed', v_removed, 'kept', v_kept);
end
$$;
