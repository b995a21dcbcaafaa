import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { conditionalOf, feedLocale, feedResponse } from '$lib/feeds/feed-http.server';
import { neighbourhoodFeed } from '$lib/feeds/feeds.server';
import type { RequestHandler } from './$types';

/** A neighbourhood's calendar feed: every gathering of its activities, none of the people. */
export const GET: RequestHandler = async ({ params, request, url }) => {
	if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(params.slug) || params.slug.length > 60) error(404, m.error_not_found());
	const answer = await neighbourhoodFeed(params.slug, { origin: url.origin, locale: feedLocale(url), conditional: conditionalOf(request) });
	if (!answer) error(404, m.error_not_found());
	return feedResponse(answer);
};
