import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { storedScheduleOf } from '$lib/activities/activity';
import { parseForm, uuidFormValue } from '$lib/forms/forms';
import { activityFormSchema } from '$lib/activities/schemas';
import { toScheduleInput } from '$lib/activities/recurrence';
import { activityToEdit, saveActivity } from '$lib/activities/activities.server';
import { withIdParam } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

async function runnable(locals: App.Locals, id: string) {
	if (!locals.memberId) redirect(303, '/sign-in');
	if (!uuidFormValue.safeParse(id).success) error(404, m.error_not_found());
	const found = await activityToEdit(locals.db, id);
	if (!found) error(404, m.error_not_found());
	if (!found.canRun) error(403, m.activity_hosts_only());
	return found.activity;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const activity = await runnable(locals, params.id);
	const schedule = toScheduleInput(storedScheduleOf(activity));
	const values: Record<string, string> = {
		title: activity.title,
		kind: activity.kind,
		description: activity.description,
		what_to_bring: activity.what_to_bring,
		place_name: activity.place_name,
		place_address: activity.place_address,
		map_url: activity.map_url ?? '',
		capacity: activity.capacity ? String(activity.capacity) : '',
		first_timer_places: String(activity.first_timer_places),
		first_timer_release_hours: String(activity.first_timer_release_hours),
		cost_kind: activity.cost_kind,
		price: activity.price_cents ? (activity.price_cents / 100).toFixed(2).replace('.', ',') : '',
		meal_included: String(activity.meal_included),
		languages: activity.languages.join(','),
		wheelchair_accessible: String(activity.wheelchair_accessible),
		hearing_loop: String(activity.hearing_loop),
		quiet_space: String(activity.quiet_space),
		child_friendly: String(activity.child_friendly),
		accessibility_notes: activity.accessibility_notes,
		...Object.fromEntries(Object.entries(schedule).map(([k, v]) => [k, String(v)]))
	};
	return { activity, values };
};

export const actions: Actions = withIdParam<Actions>({
	default: async ({ locals, params, request }) => {
		await runnable(locals, params.id);
		const parsed = parseForm(activityFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const saved = await saveActivity(locals.db, params.id, parsed.data);
		if (!saved) error(403, m.activity_hosts_only());
		// Dates that left the series but were changed on their own stay; the host decides.
		if (saved.kept.length) return { kept: saved.kept, values: parsed.data as unknown as Record<string, string> };
		redirect(303, `/a/${params.id}?saved=1`);
	}
});
