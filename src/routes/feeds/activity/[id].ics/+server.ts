import { error } from '@sveltejs/kit';
import { uuidFormValue } from '$lib/forms/forms';
import { m } from '$lib/paraglide/messages';
import { conditionalOf, feedLocale, feedResponse } from '$lib/feeds/feed-http.server';
import { activityFeed } from '$lib/feeds/feeds.server';
import type { RequestHandler } from './$types';

/** An activity's calendar feed: every gathering in the window, none of the people. */
export const GET: RequestHandler = async ({ params, request, url }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const answer = await activityFeed(params.id, { origin: url.origin, locale: feedLocale(url), conditional: conditionalOf(request) });
	if (!answer) error(404, m.error_not_found());
	return feedResponse(answer);
};
