import { error } from '@sveltejs/kit';
import { uuidFormValue } from '$lib/forms/forms';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { conditionalOf, feedResponse } from '$lib/feeds/feed-http.server';
import { gatheringFile } from '$lib/feeds/feeds.server';
import type { RequestHandler } from './$types';

/** One gathering as a calendar file ("add to my calendar"), in the language of the page. */
export const GET: RequestHandler = async ({ params, request, url }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const answer = await gatheringFile(params.id, { origin: url.origin, locale: getLocale(), conditional: conditionalOf(request) });
	if (!answer) error(404, m.error_not_found());
	return feedResponse(answer, { download: true });
};
