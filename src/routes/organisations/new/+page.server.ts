import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { organisationFormSchema, typedValues } from '$lib/offers/offers';
import { DataError, newOrganisationPage, startOrganisation } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	return newOrganisationPage(locals.db, url.searchParams.get('n'));
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const data = await request.formData();
		const parsed = parseForm(organisationFormSchema, data);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		if (parsed.data.neighbourhoods.length === 0) {
			return fail(400, { errors: { neighbourhoods: 'error_offer_neighbourhoods' } as FieldErrors, values: typedValues(data) });
		}
		let id: string;
		try {
			id = await startOrganisation(locals.db, parsed.data);
		} catch (cause) {
			if (cause instanceof DataError) return fail(400, { errors: { form: 'error_general_form' } as FieldErrors, values: typedValues(data) });
			throw cause;
		}
		redirect(303, `/organisations/${id}?created=1`);
	}
};
