import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { organisationFormSchema, typedValues } from '$lib/offers/offers';
import {
	DataError,
	hasActiveOrganisationInvite,
	inviteColleague,
	neighbourhoodsToRequest,
	organisationPage,
	requestNeighbourhood,
	revokeOrganisationInvites,
	updateOrganisation
} from '$lib/offers/offers.server';
import { withIdParam, withPostRedirectGet } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const year = new Date().getUTCFullYear();
	try {
		const page = await organisationPage(locals.db, params.id, locals.memberId, year);
		if (!page) error(404, m.error_not_found());
		const elsewhere = page.isMember ? await neighbourhoodsToRequest(locals.db, page.places) : [];
		return {
			...page,
			year,
			created: url.searchParams.has('created'),
			elsewhere,
			colleagueLinkActive: page.isMember ? await hasActiveOrganisationInvite(locals.db, params.id) : false
		};
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

export const actions: Actions = withPostRedirectGet(withIdParam<Actions>({
	save: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const data = await request.formData();
		const parsed = parseForm(organisationFormSchema, data);
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values: parsed.values });
		if (!(await updateOrganisation(locals.db, params.id, parsed.data))) {
			return fail(403, { action: 'save', errors: { form: 'error_not_allowed' } as FieldErrors, values: typedValues(data) });
		}
		return { action: 'save', done: true };
	},
	colleague: async ({ locals, params, url }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const token = await inviteColleague(locals.db, params.id);
		if (!token) return fail(403, { action: 'colleague', errors: { form: 'error_not_allowed' } as FieldErrors });
		// Shown once, never stored: only its hash is kept.
		return { action: 'colleague', link: `${url.origin}/organisations/join/${token}` };
	},
	colleagueOff: async ({ locals, params }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		await revokeOrganisationInvites(locals.db, params.id);
		return { action: 'colleagueOff', done: true };
	},
	request: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const neighbourhood = uuidFormValue.safeParse((await request.formData()).get('neighbourhood'));
		if (!neighbourhood.success) return fail(400, { action: 'request', errors: { form: 'error_general_form' } as FieldErrors });
		if (!(await requestNeighbourhood(locals.db, params.id, neighbourhood.data))) {
			return fail(403, { action: 'request', errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { action: 'request', done: true };
	}
}));
