import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { offerFormSchema, typedValues } from '$lib/offers/offers';
import { offerFormChoices, saveOfferFor } from '$lib/offers/offers.server';
import { refusalMessageKey } from '$lib/forms/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	const choices = await offerFormChoices(locals.db, locals.memberId);
	const slug = url.searchParams.get('n');
	const preset = choices.neighbourhoods.find((n) => n.slug === slug);
	return { ...choices, preset: preset ? preset.id : '' };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const data = await request.formData();
		const parsed = parseForm(offerFormSchema, data);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await saveOfferFor(locals.db, null, parsed.data);
		if (!result.ok) return fail(403, { errors: { form: refusalMessageKey(result.refusal, 'offer') } as FieldErrors, values: typedValues(data) });
		redirect(303, '/offers?saved=1');
	}
};
