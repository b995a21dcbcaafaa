import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { kindForSlot } from '$lib/offers/offer-vocabulary';
import { needFormSchema, typedValues } from '$lib/offers/offers';
import { localDate } from '$lib/ui/format';
import { newNeedPage, postNeed } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';

const querySchema = z.object({
	activity: z.uuid().nullable().catch(null),
	gathering: z.uuid().nullable().catch(null),
	slot: z.uuid().nullable().catch(null)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	const q = querySchema.parse({ activity: url.searchParams.get('activity'), gathering: url.searchParams.get('gathering'), slot: url.searchParams.get('slot') });
	const page = await newNeedPage(locals.db, q);
	if (!page) error(404, m.error_not_found());
	if (!page.runsIt) error(403, m.error_not_allowed());
	const { activity, gathering, slot } = page;
	return {
		activity: { id: activity.id, title: activity.title },
		gathering: gathering ? { id: gathering.id, date: localDate(gathering.starts_at, activity.schedule_time_zone) } : null,
		slot: slot ? { id: slot.id, title: slot.label, kind: kindForSlot(slot.kind), quantity: Math.max(1, slot.quantity - slot.taken) } : null
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const data = await request.formData();
		const parsed = parseForm(needFormSchema, data);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const need = await postNeed(locals.db, locals.memberId, parsed.data);
		if (!need) return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors, values: typedValues(data) });
		redirect(303, `/needs/${need.id}`);
	}
};
