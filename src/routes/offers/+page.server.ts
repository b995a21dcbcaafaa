import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { offerStatusFormSchema } from '$lib/domain/offers';
import { getOwnOffer } from '$lib/server/db/offers';
import { changeOfferStatus, myOffersPage } from '$lib/server/services/offers';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	return { ...(await myOffersPage(locals.db, locals.memberId)), saved: url.searchParams.has('saved') };
};

export const actions: Actions = {
	status: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const parsed = parseForm(offerStatusFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const offer = await getOwnOffer(locals.db, parsed.data.offer);
		const neighbourhoods = offer?.offer_neighbourhood.map((x) => x.neighbourhood_id) ?? [];
		if (!offer || !(await changeOfferStatus(locals.db, offer.id, parsed.data.status, neighbourhoods))) {
			return fail(403, { errors: { form: 'error_not_allowed' } as FieldErrors });
		}
		return { done: true };
	}
};
