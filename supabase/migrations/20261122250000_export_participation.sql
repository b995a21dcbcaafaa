-- "Download my data", second half: what a member did on boards, in help, offers and calendars.
-- export_member (joining) covers the account; this covers everything added since, so the
-- download stays complete without redefining that function.
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
revoke execute on function public.export_member_participation(uuid) from public;
grant execute on function public.export_member_participation(uuid) to service_role;
