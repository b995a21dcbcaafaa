import { fail, redirect } from '@sveltejs/kit';
import { parseForm, uuidFormValue, type FieldErrors } from '$lib/forms/forms';
import { inviteFormSchema } from '$lib/joining/schemas';
import { createInvite, invitesOverview, revokeInvite, setJoiningOpen } from '$lib/joining/invites.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	return invitesOverview(locals.db, locals.memberId, url.origin);
};

export const actions: Actions = withPostRedirectGet<Actions>({
	create: async ({ request, locals }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const parsed = parseForm(inviteFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'create', errors: parsed.errors, values: parsed.values });
		const result = await createInvite(locals.db, locals.memberId, {
			...parsed.data.target,
			label: parsed.data.label,
			validDays: parsed.data.valid_days
		});
		if (!result.ok) {
			const error = result.reason === 'rate_limited' ? 'error_rate_limited' : 'error_invite_target';
			return fail(result.reason === 'rate_limited' ? 429 : 403, { action: 'create', errors: { target: error } as FieldErrors });
		}
		return { action: 'create', created: result.id };
	},
	openness: async ({ request, locals }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const form = await request.formData();
		const id = uuidFormValue.safeParse(form.get('neighbourhood'));
		const open = form.get('open');
		if (!id.success || (open !== 'yes' && open !== 'no') || !(await setJoiningOpen(locals.db, id.data, open === 'yes'))) {
			return fail(400, { action: 'openness', errors: { form: 'error_not_allowed' } });
		}
		return { action: 'openness', open: open === 'yes' };
	},
	revoke: async ({ request, locals }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		const id = uuidFormValue.safeParse((await request.formData()).get('invite'));
		if (!id.success || !(await revokeInvite(locals.db, id.data))) {
			return fail(400, { action: 'revoke', errors: { form: 'error_general_form' } });
		}
		return { action: 'revoke', revoked: true };
	}
});
