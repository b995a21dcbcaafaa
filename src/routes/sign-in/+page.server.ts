import { fail } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/forms';
import { emailFormSchema } from '$lib/account/schemas';
import { requestMagicLink } from '$lib/account/account.server';
import type { Actions, PageServerLoad } from './$types';
import { withPostRedirectGet } from '$lib/server/actions';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: Boolean(locals.memberId) });

export const actions: Actions = withPostRedirectGet<Actions>({
	default: async ({ request, getClientAddress }) => {
		const parsed = parseForm(emailFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values, sent: false });
		const result = await requestMagicLink(parsed.data.email, request.headers, getClientAddress());
		if (!result.ok) {
			return fail(429, { errors: { email: 'error_rate_limited' } as FieldErrors, values: { email: parsed.data.email } as Record<string, string>, sent: false });
		}
		return { sent: true, errors: {} as FieldErrors, values: { email: parsed.data.email } as Record<string, string> };
	}
});
