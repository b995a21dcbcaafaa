import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { offerFormSchema, typedValues } from '$lib/offers/offers';
import { offerEditPage, saveOfferFor } from '$lib/offers/offers.server';
import { refusalMessageKey } from '$lib/forms/refusals';
import { withIdParam } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const page = await offerEditPage(locals.db, locals.memberId, params.id);
	if (!page) error(404, m.error_not_found());
	if (!page.mayEdit) error(403, m.error_not_allowed());
	const { offer, choices } = page;
	const values: Record<string, string> = {
		organisation: offer.organisation_id ?? '',
		kind: offer.kind,
		title: offer.title,
		details: offer.details,
		quantity: String(offer.quantity),
		hands_when: offer.hands_when,
		hands_minutes: offer.hands_minutes ? String(offer.hands_minutes) : '',
		hands_frequency: offer.hands_frequency ?? '',
		languages: offer.languages.join(','),
		terms: offer.terms ?? '',
		handover: offer.handover ?? '',
		available_from: offer.available_from,
		available_until: offer.available_until ?? '',
		neighbourhoods: offer.offer_neighbourhood.map((x) => x.neighbourhood_id).join(',')
	};
	return { ...choices, values };
};

export const actions: Actions = withIdParam<Actions>({
	default: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const data = await request.formData();
		const parsed = parseForm(offerFormSchema, data);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await saveOfferFor(locals.db, params.id, parsed.data);
		if (!result.ok) return fail(403, { errors: { form: refusalMessageKey(result.refusal, 'offer') } as FieldErrors, values: typedValues(data) });
		redirect(303, '/offers?saved=1');
	}
});
