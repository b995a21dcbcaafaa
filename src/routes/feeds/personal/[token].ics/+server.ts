import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { conditionalOf, feedResponse } from '$lib/feeds/feed-http.server';
import { personalFeed } from '$lib/feeds/feeds.server';
import type { RequestHandler } from './$types';

/** A member's own feed behind their secret token, in their language; a replaced token gets 404. */
export const GET: RequestHandler = async ({ params, request, url }) => {
	const answer = await personalFeed(params.token, { origin: url.origin, conditional: conditionalOf(request) });
	if (!answer) error(404, m.error_not_found());
	return feedResponse(answer, { personal: true });
};
