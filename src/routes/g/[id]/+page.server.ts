import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { cancelFormSchema, moveFormSchema, parseForm, uuidFormValue, type FieldErrors } from '$lib/domain/forms';
import { DataError } from '$lib/server/db/client';
import { cancelGathering, gatheringPage, moveGathering, restoreGathering } from '$lib/server/services/activities';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	try {
		const page = await gatheringPage(locals.db, params.id);
		if (!page) error(404, m.error_not_found());
		return page;
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

const notAllowed = (action: string) => fail(403, { action, errors: { form: 'error_not_allowed' } as FieldErrors });

export const actions: Actions = {
	cancel: async ({ locals, params, request }) => {
		const parsed = parseForm(cancelFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'cancel', errors: parsed.errors, values: parsed.values });
		if (!(await cancelGathering(locals.db, params.id, parsed.data.reason))) return notAllowed('cancel');
		return { action: 'cancel', done: true };
	},
	restore: async ({ locals, params }) => {
		if (!(await restoreGathering(locals.db, params.id))) return notAllowed('restore');
		return { action: 'restore', done: true };
	},
	move: async ({ locals, params, request }) => {
		const parsed = parseForm(moveFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'move', errors: parsed.errors, values: parsed.values });
		const page = await gatheringPage(locals.db, params.id);
		if (!page || !(await moveGathering(locals.db, params.id, parsed.data, page.activity.schedule_time_zone))) return notAllowed('move');
		return { action: 'move', done: true };
	}
};
