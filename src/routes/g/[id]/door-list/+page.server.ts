import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { helperThanksFormSchema } from '$lib/boards/board';
import { gatheringPage } from '$lib/activities/activities.server';
import { doorList, markArrival, markBroughtArrival, thankForHelp } from '$lib/boards/boards.server';
import { withIdParam, withPostRedirectGet } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

/** For hosts: who is coming, with guests and first-timers, to print or tick off at the door. */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const page = await gatheringPage(locals.db, params.id);
	if (!page) error(404, m.error_not_found());
	if (!page.canRun) error(403, m.activity_hosts_only());
	return { gathering: page.gathering, activity: page.activity, ...(await doorList(locals.db, params.id)) };
};

export const actions: Actions = withPostRedirectGet(withIdParam<Actions>({
	thankForHelp: async ({ locals, request }) => {
		const parsed = parseForm(helperThanksFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		if (!(await thankForHelp(locals.db, parsed.data.pledge, parsed.data.thanks))) {
			return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { done: true };
	},
	markArrival: async ({ locals, params, request }) => {
		const form = await request.formData();
		const member = uuidFormValue.safeParse(form.get('member'));
		if (!member.success || !(await markArrival(locals.db, params.id, member.data, form.get('came') === 'yes'))) {
			return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { done: true };
	},
	/** Someone brought along (no account of their own) came. */
	markBroughtArrival: async ({ locals, request }) => {
		const form = await request.formData();
		const person = uuidFormValue.safeParse(form.get('person'));
		if (!person.success || !(await markBroughtArrival(locals.db, person.data, form.get('came') === 'yes'))) {
			return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { done: true };
	}
}));
