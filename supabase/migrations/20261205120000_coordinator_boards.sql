-- Coordinators run every activity of their neighbourhood (can_run_activity), so becoming one, or
-- no longer being one, changes what they may see on each of its open boards: the boards still to
-- come are announced, and a coordinator's open board moves to the audience of those who run it
-- (and back) at once instead of at the board's next change. Rare, so announcing them all is fine.
create function public.neighbourhood_role_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
	perform public.announce_board(g.id)
	from public.gathering g join public.activity a on a.id = g.activity_id
	where g.ends_at > now()
		and a.neighbourhood_id in (
			case when tg_op <> 'INSERT' and old.role = 'coordinator' then old.neighbourhood_id end,
			case when tg_op <> 'DELETE' and new.role = 'coordinator' then new.neighbourhood_id end);
	return null;
end
$$;
revoke execute on function public.neighbourhood_role_changed() from public;
create trigger neighbourhood_role_announce after insert or update of role or delete on public.neighbourhood_member
	for each row execute function public.neighbourhood_role_changed();
