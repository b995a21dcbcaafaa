import { fail, redirect } from '@sveltejs/kit';
import { SignInRefused, signInWithReturnLink } from '$lib/account/account.server';
import { setLanguageCookie } from '$lib/server/language';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: link previews and scanners must not sign anyone in.
export const load: PageServerLoad = ({ locals }) => ({ signedIn: Boolean(locals.memberId) });

export const actions: Actions = {
	default: async ({ params, request, cookies, getClientAddress }) => {
		try {
			const { locale } = await signInWithReturnLink(params.token, getClientAddress(), request.headers);
			setLanguageCookie(cookies, locale);
		} catch (cause) {
			if (cause instanceof SignInRefused) return fail(cause.reason === 'rate_limited' ? 429 : 410, { refused: cause.reason });
			throw cause;
		}
		redirect(303, '/me?returned=1');
	}
};
