import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { decideOrganisationFormSchema, parseNeedsFilter } from '$lib/offers/offers';
import { DataError, decideOrganisation, needsAndOffersPage } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!/^[a-z0-9-]{1,60}$/.test(params.slug)) error(404, m.error_not_found());
	const filter = parseNeedsFilter(url.searchParams);
	try {
		const page = await needsAndOffersPage(locals.db, params.slug, locals.memberId, filter);
		if (!page) error(404, m.error_not_found());
		return { ...page, filter, signedIn: Boolean(locals.memberId) };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

export const actions: Actions = withPostRedirectGet<Actions>({
	/** A coordinator approves or declines an organisation for this neighbourhood. */
	decide: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const parsed = parseForm(decideOrganisationFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'decide', errors: parsed.errors });
		const page = await needsAndOffersPage(locals.db, params.slug, locals.memberId, { kind: null, from: null, to: null });
		if (!page) error(404, m.error_not_found());
		if (!(await decideOrganisation(locals.db, parsed.data.organisation, page.neighbourhood.id, parsed.data.approve))) {
			return fail(403, { action: 'decide', errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { action: 'decide', done: true };
	}
});
