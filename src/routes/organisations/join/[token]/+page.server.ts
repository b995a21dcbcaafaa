import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { colleagueInvite, joinAsColleague } from '$lib/offers/offers.server';
import type { Actions, PageServerLoad } from './$types';

// 256-bit tokens in base64url; anything else is not a link we made.
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!tokenShape.test(params.token)) error(404, m.error_not_found());
	if (!locals.memberId) return { signedIn: false, organisation: null };
	// Opening the link changes nothing: joining is a button, so link previews join nobody.
	return { signedIn: true, organisation: await colleagueInvite(locals.db, params.token) };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		if (!locals.memberId) redirect(303, '/sign-in');
		if (!tokenShape.test(params.token)) error(404, m.error_not_found());
		const organisation = await joinAsColleague(locals.db, params.token);
		if (!organisation) return fail(410, { invalid: true });
		redirect(303, `/organisations/${organisation}`);
	}
};
