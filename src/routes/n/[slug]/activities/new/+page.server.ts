import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localDate } from '$lib/ui/format';
import { parseForm } from '$lib/forms/forms';
import { activityFormSchema } from '$lib/activities/schemas';
import { createActivity } from '$lib/activities/activities.server';
import { neighbourhoodAndMembership } from '$lib/agenda/agenda.server';
import { ideaPrefill, linkIdeaToActivity } from '$lib/ideas/ideas.server';
import type { Actions, PageServerLoad } from './$types';

async function neighbourhoodFor(locals: App.Locals, slug: string) {
	if (!locals.memberId) redirect(303, '/sign-in');
	const found = await neighbourhoodAndMembership(locals.db, slug, locals.memberId);
	if (!found) error(404, m.error_not_found());
	if (!found.member) error(403, m.activity_members_only());
	return { memberId: locals.memberId, neighbourhood: found.neighbourhood };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { neighbourhood } = await neighbourhoodFor(locals, params.slug);
	// Today where the neighbourhood is: around midnight the UTC date is another day.
	const today = localDate(new Date(), neighbourhood.time_zone);
	const idea = await ideaPrefill(locals.db, url.searchParams.get('idea'));
	return {
		neighbourhood,
		ideaId: idea?.id ?? null,
		values: {
			title: idea?.title ?? '',
			description: idea?.description ?? '',
			kind: idea?.kind ?? 'shared_dinner',
			pattern: 'weekly',
			weekday: 'TU',
			month_week: '2',
			start_date: today,
			start_time: '18:00',
			end_time: '20:30',
			cost_kind: 'free',
			languages: 'nl',
			time_zone: neighbourhood.time_zone
		} as Record<string, string>
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const { memberId, neighbourhood } = await neighbourhoodFor(locals, params.slug);
		const form = await request.formData();
		const parsed = parseForm(activityFormSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const id = await createActivity(locals.db, memberId, neighbourhood.id, parsed.data);
		const ideaId = form.get('idea');
		if (typeof ideaId === 'string' && ideaId) await linkIdeaToActivity(locals.db, ideaId, id);
		redirect(303, `/a/${id}?created=1`);
	}
};
