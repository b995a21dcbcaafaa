import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { uuidFormValue } from '$lib/forms/forms';
import { inviteQrSvg } from '$lib/joining/invites.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.memberId || !uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const svg = await inviteQrSvg(locals.db, params.id, url.origin);
	if (!svg) error(404, m.error_not_found());
	if (svg === 'unreadable') error(410, m.invites_code_unreadable());
	return new Response(svg, { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'private, no-store' } });
};
