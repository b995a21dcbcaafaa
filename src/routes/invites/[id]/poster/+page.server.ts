import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { uuidFormValue } from '$lib/forms/forms';
import { posterFor } from '$lib/joining/invites.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.memberId) redirect(303, '/sign-in');
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const poster = await posterFor(locals.db, params.id, url.origin);
	if (!poster) error(404, m.error_not_found());
	if (poster === 'unreadable') error(410, m.invites_code_unreadable());
	return { ...poster, shortUrl: `${url.host}/join/${poster.invite.code.replace('-', '')}` };
};
