import { fail, redirect } from '@sveltejs/kit';
import { normalizeInviteCode } from '$lib/joining/invite-code';
import type { PageServerLoad } from './$types';

/** Typing a code from a poster: `/join?code=K7Q2M-9XD3F` goes to its welcome page. */
export const load: PageServerLoad = ({ url }) => {
	const typed = url.searchParams.get('code');
	if (typed === null) return { invalid: false, typed: '' };
	const code = normalizeInviteCode(typed.slice(0, 40));
	if (code) redirect(303, `/join/${code}`);
	return { invalid: true, typed: typed.slice(0, 40) };
};
