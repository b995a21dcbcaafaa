-- Your own data: "download my data" and deleting an account, and forgetting guests who never
-- came back. Last, because a member's data is in the tables of every feature before.

-- Everything stored about a member's account, as one JSON document (for "download my data").
create function public.export_member(p_member_id uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	select jsonb_build_object(
		'member', (select to_jsonb(m) from public.member m where m.id = p_member_id),
		'sign_in', (select jsonb_build_object(
			'email', case when u."email" like '%@guest.buurtbord.invalid' then null else u."email" end,
			'email_verified', u."emailVerified", 'created_at', u."createdAt")
			from identity."user" u where u.id = p_member_id),
		'sessions', coalesce((select jsonb_agg(jsonb_build_object(
			'created_at', s."createdAt", 'last_active_at', s."updatedAt", 'expires_at', s."expiresAt",
			'user_agent', s."userAgent", 'ip_address', s."ipAddress") order by s."createdAt")
			from identity."session" s where s."userId" = p_member_id), '[]'),
		'neighbourhoods', coalesce((select jsonb_agg(jsonb_build_object(
			'neighbourhood', n.name, 'role', nm.role, 'joined_at', nm.joined_at) order by nm.joined_at)
			from public.neighbourhood_member nm join public.neighbourhood n on n.id = nm.neighbourhood_id
			where nm.member_id = p_member_id), '[]'),
		'hosting', coalesce((select jsonb_agg(jsonb_build_object('activity', a.title, 'since', h.added_at))
			from public.activity_host h join public.activity a on a.id = h.activity_id
			where h.member_id = p_member_id), '[]'),
		'invites_created', coalesce((select jsonb_agg(jsonb_build_object(
			'label', i.label, 'created_at', i.created_at, 'uses', i.use_count, 'revoked_at', i.revoked_at))
			from public.invite i where i.created_by = p_member_id), '[]'),
		'return_links', coalesce((select jsonb_agg(jsonb_build_object(
			'created_at', r.created_at, 'last_used_at', r.last_used_at, 'revoked_at', r.revoked_at))
			from public.member_return_link r where r.member_id = p_member_id), '[]')
	)
$$;

-- Everything a member did on boards, in help, offers, ideas and calendars: the second half of
-- "download my data", beside the account itself above.
create function public.export_member_participation(p_member_id uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
	select jsonb_build_object(
		'attendance', coalesce((select jsonb_agg(jsonb_build_object(
			'activity', a.title, 'starts_at', g.starts_at, 'status', x.status, 'guests', x.guests,
			'first_time', x.first_time, 'came', x.came) order by g.starts_at)
			from public.attendance x join public.gathering g on g.id = x.gathering_id join public.activity a on a.id = g.activity_id
			where x.member_id = p_member_id), '[]'),
		'regular_at', coalesce((select jsonb_agg(jsonb_build_object('activity', a.title, 'guests', s.guests, 'since', s.created_at))
			from public.standing_signup s join public.activity a on a.id = s.activity_id where s.member_id = p_member_id), '[]'),
		'did_or_brought', coalesce((select jsonb_agg(jsonb_build_object(
			'activity', a.title, 'starts_at', g.starts_at, 'what', sl.label, 'quantity', p.quantity, 'thanks', p.thanks) order by g.starts_at)
			from public.slot_pledge p join public.gathering_slot sl on sl.id = p.slot_id
			join public.gathering g on g.id = sl.gathering_id join public.activity a on a.id = g.activity_id
			where p.member_id = p_member_id), '[]'),
		'feedback_given', coalesce((select jsonb_agg(jsonb_build_object(
			'activity', a.title, 'starts_at', g.starts_at, 'rating', f.rating, 'comment', f.comment))
			from public.gathering_feedback f join public.gathering g on g.id = f.gathering_id join public.activity a on a.id = g.activity_id
			where f.member_id = p_member_id), '[]'),
		'help_asked', coalesce((select jsonb_agg(jsonb_build_object(
			'activity', a.title, 'starts_at', g.starts_at, 'kind', r.kind, 'people', r.people, 'note', r.note))
			from public.help_request r join public.gathering g on g.id = r.gathering_id join public.activity a on a.id = g.activity_id
			where r.member_id = p_member_id), '[]'),
		'help_offered', coalesce((select jsonb_agg(jsonb_build_object(
			'activity', a.title, 'starts_at', g.starts_at, 'kind', o.kind, 'places', o.places, 'note', o.note))
			from public.help_offer o join public.gathering g on g.id = o.gathering_id join public.activity a on a.id = g.activity_id
			where o.member_id = p_member_id), '[]'),
		'reminders', coalesce((select jsonb_agg(jsonb_build_object('activity', a.title, 'starts_at', g.starts_at, 'asked_at', r.created_at))
			from public.gathering_reminder r join public.gathering g on g.id = r.gathering_id join public.activity a on a.id = g.activity_id
			where r.member_id = p_member_id), '[]'),
		'devices_with_notifications', coalesce((select jsonb_agg(jsonb_build_object('since', d.created_at))
			from public.push_subscription d where d.member_id = p_member_id), '[]'),
		'calendar_links', coalesce((select jsonb_agg(jsonb_build_object('created_at', t.created_at, 'last_used_at', t.last_used_at, 'revoked_at', t.revoked_at))
			from public.calendar_feed_token t where t.member_id = p_member_id), '[]'),
		'organisations', coalesce((select jsonb_agg(jsonb_build_object('organisation', o.name))
			from public.organisation_member om join public.organisation o on o.id = om.organisation_id where om.member_id = p_member_id), '[]'),
		'offers', coalesce((select jsonb_agg(jsonb_build_object('kind', o.kind, 'title', o.title, 'quantity', o.quantity))
			from public.offer o where o.member_id = p_member_id), '[]'),
		'pledges', coalesce((select jsonb_agg(jsonb_build_object(
			'need', n.title, 'quantity', p.quantity, 'status', p.status,
			'contact_shared', (select c.contact from public.pledge_contact c where c.pledge_id = p.id and c.side = 'giver')))
			from public.pledge p join public.need n on n.id = p.need_id where p.member_id = p_member_id), '[]'),
		'ideas_proposed', coalesce((select jsonb_agg(jsonb_build_object('title', i.title, 'created_at', i.created_at))
			from public.idea i where i.proposed_by = p_member_id), '[]'),
		'idea_interest', coalesce((select jsonb_agg(jsonb_build_object('idea', i.title, 'kind', x.kind))
			from public.idea_interest x join public.idea i on i.id = x.idea_id where x.member_id = p_member_id), '[]')
	)
$$;

-- Deleting an account: personal data goes (member record, memberships, sign-in, sessions,
-- return links); activities they alone hosted are paused rather than left without a host;
-- what others rely on stays, without their name (created_by becomes empty).
create function public.forget_member(p_member_id uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
	update public.activity a set status = 'paused'
	where a.status = 'active'
		and exists (select 1 from public.activity_host h where h.activity_id = a.id and h.member_id = p_member_id)
		and not exists (select 1 from public.activity_host h where h.activity_id = a.id and h.member_id <> p_member_id);
	delete from public.member where id = p_member_id;
	delete from identity."user" where id = p_member_id;
end
$$;

-- Guests (no confirmed e-mail) not seen since `p_before` are forgotten; returns how many.
create function public.forget_inactive_guests(p_before timestamptz) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
	v_id uuid;
	v_count integer := 0;
begin
	for v_id in
		select m.id from public.member m
		join identity."user" u on u.id = m.id
		where m.last_seen_at < p_before and not u."emailVerified"
		for update of m skip locked
	loop
		perform public.forget_member(v_id);
		v_count := v_count + 1;
	end loop;
	return v_count;
end
$$;

create function public.touch_member_seen(p_member_id uuid) returns void
language sql security definer set search_path = ''
as $$
	update public.member set last_seen_at = now() where id = p_member_id and last_seen_at < now() - interval '1 hour'
$$;

revoke execute on function public.export_member(uuid), public.export_member_participation(uuid), public.forget_member(uuid),
	public.forget_inactive_guests(timestamptz), public.touch_member_seen(uuid) from public;
grant execute on function public.export_member(uuid), public.export_member_participation(uuid), public.forget_member(uuid),
	public.forget_inactive_guests(timestamptz), public.touch_member_seen(uuid) to service_role;
