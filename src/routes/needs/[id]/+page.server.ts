import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { inviteOfferFormSchema, needQuantityFormSchema, needStatusFormSchema, pledgeFormSchema, pledgeStepFormSchema, thankFormSchema, typedValues } from '$lib/offers/offers';
import { changeNeed, DataError, inviteOffer, needPage, pledgeToNeed, setPledgeStatus, thankPledge } from '$lib/offers/offers.server';
import { refusalMessageKey } from '$lib/forms/refusals';
import { withIdParam, withPostRedirectGet } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	try {
		const page = await needPage(locals.db, params.id, locals.memberId);
		if (!page) error(404, m.error_not_found());
		return { ...page, signedIn: Boolean(locals.memberId) };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};

const refused = (action: string, refusal: string, status = 409, extra: Record<string, unknown> = {}) =>
	fail(status, { action, errors: { form: refusalMessageKey(refusal, 'offer') } as FieldErrors, ...extra });

export const actions: Actions = withPostRedirectGet(withIdParam<Actions>({
	pledgeToNeed: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const form = await request.formData();
		form.set('need', params.id);
		const parsed = parseForm(pledgeFormSchema, form);
		if (!parsed.ok) return fail(400, { action: 'pledgeToNeed', errors: parsed.errors, values: parsed.values });
		const result = await pledgeToNeed(locals.db, parsed.data);
		if (!result.ok) return refused('pledgeToNeed', result.refusal, result.refusal === 'not_allowed' ? 403 : result.refusal === 'not_found' ? 404 : 409, { values: typedValues(form), left: result.left ?? null });
		return { action: 'pledgeToNeed', done: true };
	},
	setPledgeStatus: async ({ locals, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const data = await request.formData();
		const parsed = parseForm(pledgeStepFormSchema, data);
		if (!parsed.ok) return fail(400, { action: 'setPledgeStatus', errors: parsed.errors });
		const result = await setPledgeStatus(locals.db, parsed.data.pledge, parsed.data.step, parsed.data.contact);
		if (!result.ok) return refused('setPledgeStatus', result.refusal);
		return { action: 'setPledgeStatus', done: true };
	},
	thankPledge: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const data = await request.formData();
		const parsed = parseForm(thankFormSchema, data);
		if (!parsed.ok) return fail(400, { action: 'thankPledge', errors: parsed.errors, pledge: parsed.values.pledge });
		const result = await thankPledge(locals.db, params.id, parsed.data.pledge, parsed.data.thanks);
		if (!result) error(404, m.error_not_found());
		if (!result.ok) return refused('thankPledge', result.refusal);
		return { action: 'thankPledge', done: true };
	},
	inviteOffer: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const form = await request.formData();
		form.set('need', params.id);
		const parsed = parseForm(inviteOfferFormSchema, form);
		if (!parsed.ok) return fail(400, { action: 'inviteOffer', errors: parsed.errors });
		if (!(await inviteOffer(locals.db, parsed.data.need, parsed.data.offer))) return refused('inviteOffer', 'not_allowed', 403);
		return { action: 'inviteOffer', done: true };
	},
	quantity: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const form = await request.formData();
		form.set('need', params.id);
		const parsed = parseForm(needQuantityFormSchema, form);
		if (!parsed.ok) return fail(400, { action: 'quantity', errors: parsed.errors });
		const result = await changeNeed(locals.db, parsed.data.need, { quantity: parsed.data.quantity });
		if (!result.ok) return refused('quantity', result.refusal, result.refusal === 'not_allowed' ? 403 : 409);
		return { action: 'quantity', done: true };
	},
	status: async ({ locals, params, request }) => {
		if (!locals.memberId) redirect(303, '/join');
		const form = await request.formData();
		form.set('need', params.id);
		const parsed = parseForm(needStatusFormSchema, form);
		if (!parsed.ok) return fail(400, { action: 'status', errors: parsed.errors });
		const result = await changeNeed(locals.db, parsed.data.need, { status: parsed.data.status });
		if (!result.ok) return refused('status', result.refusal, 403);
		return { action: 'status', done: true };
	}
}));
