import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { organisationFormSchema, typedValues } from '$lib/domain/offers';
import { DataError } from '$lib/server/db/client';
import { listNeighbourhoods } from '$lib/server/db/neighbourhoods';
import { startOrganisation } from '$lib/server/services/offers';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	const neighbourhoods = await listNeighbourhoods(locals.db);
	const preset = neighbourhoods.find((n) => n.slug === url.searchParams.get('n'))?.id ?? '';
	return { neighbourhoods: neighbourhoods.map((n) => ({ id: n.id, name: n.name })), preset };
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
