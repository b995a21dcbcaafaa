import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { offerStatusFormSchema } from '$lib/offers/offers';
import { changeOwnOfferStatus, myOffersPage } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	return { ...(await myOffersPage(locals.db, locals.memberId)), saved: url.searchParams.has('saved') };
};

export const actions: Actions = withPostRedirectGet<Actions>({
	status: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const parsed = parseForm(offerStatusFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		if (!(await changeOwnOfferStatus(locals.db, parsed.data.offer, parsed.data.status))) {
			return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { done: true };
	}
});
