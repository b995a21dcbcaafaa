import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { groupByLocalDay } from '$lib/agenda/agenda';
import { localDate } from '$lib/ui/format';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { moveFormSchema } from '$lib/activities/schemas';
import { activityPage, addExtraDateTo, changeHosts, DataError, setActivityStatus } from '$lib/activities/activities.server';
import { hasStandingSignup, setStandingSignup } from '$lib/boards/boards.server';
import { withIdParam, withPostRedirectGet } from '$lib/server/actions';
import { joinHere } from '$lib/joining/join-here.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const now = new Date();
	try {
		const page = await activityPage(locals.db, params.id, locals.memberId, now);
		if (!page) error(404, m.error_not_found());
		const timeZone = page.activity.schedule_time_zone;
		return {
			...page,
			days: groupByLocalDay(page.upcoming, timeZone),
			today: localDate(now, timeZone),
			standing: locals.memberId ? await hasStandingSignup(locals.db, params.id, locals.memberId) : false,
			signedIn: Boolean(locals.memberId),
			created: url.searchParams.has('created'),
			welcome: url.searchParams.has('welcome')
		};
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

const statuses = { pause: 'paused', end: 'ended', resume: 'active' } as const;

export const actions: Actions = withPostRedirectGet(withIdParam<Actions>({
	/** A visitor joins the activity's neighbourhood right here, and stays on the activity. */
	join: async (event) => {
		const form = await event.request.formData();
		const page = await activityPage(event.locals.db, event.params.id, null);
		if (!page) return fail(404, { action: 'join', errors: { form: 'error_not_found' } as FieldErrors });
		const joined = await joinHere(event, form, page.neighbourhood.id);
		if (!joined.ok) return joined.failure;
		redirect(303, `/a/${event.params.id}?welcome=1`);
	},
	standing: async ({ locals, params, request }) => {
		if (!locals.memberId) return fail(401, { action: 'standing', errors: { form: 'error_board_members_only' } as FieldErrors });
		const on = (await request.formData()).get('on') === 'yes';
		if (!(await setStandingSignup(locals.db, params.id, on))) {
			return fail(403, { action: 'standing', errors: { form: 'error_board_members_only' } as FieldErrors });
		}
		return { action: 'standing', done: true };
	},
	status: async ({ locals, params, request }) => {
		const change = (await request.formData()).get('change');
		// Own keys only: `'__proto__' in statuses` is true too.
		if (typeof change !== 'string' || !Object.hasOwn(statuses, change)) return fail(400, { action: 'status', errors: { form: 'error_general_form' } as FieldErrors });
		if (!locals.memberId || !(await setActivityStatus(locals.db, params.id, statuses[change as keyof typeof statuses]))) {
			return fail(403, { action: 'status', errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { action: 'status', done: true };
	},
	hosts: async ({ locals, params, request }) => {
		const form = await request.formData();
		const kind = form.get('change');
		const member = uuidFormValue.safeParse(form.get('member'));
		if (!member.success || (kind !== 'add' && kind !== 'remove' && kind !== 'hand_over')) {
			return fail(400, { action: 'hosts', errors: { form: 'error_general_form' } as FieldErrors });
		}
		const result = await changeHosts(locals.db, { kind, activityId: params.id, memberId: member.data });
		if (result !== 'ok') {
			return fail(409, { action: 'hosts', errors: { form: result === 'last_host' ? 'error_last_host' : 'error_not_allowed' } as FieldErrors });
		}
		return { action: 'hosts', done: true };
	},
	extra: async ({ locals, params, request }) => {
		const parsed = parseForm(moveFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'extra', errors: parsed.errors, values: parsed.values });
		const id = await addExtraDateTo(locals.db, params.id, parsed.data);
		if (!id) return fail(403, { action: 'extra', errors: { form: 'error_not_allowed' } as FieldErrors });
		return { action: 'extra', done: true };
	}
}));
