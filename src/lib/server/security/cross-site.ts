import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { originAllowed } from './origin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses requests that change something when another site's page sent them. SvelteKit's own
 * check covers form posts (it runs before this hook); this one also covers JSON posts such as
 * /push/subscribe and better-auth's /api/auth/*. The app's origin is `event.url.origin`, which
 * in production is ORIGIN.
 */
export const refuseCrossSite: Handle = ({ event, resolve }) => {
	if (SAFE_METHODS.has(event.request.method)) return resolve(event);
	const headers = event.request.headers;
	const allowed = originAllowed({
		origin: headers.get('origin'),
		secFetchSite: headers.get('sec-fetch-site'),
		expected: event.url.origin
	});
	if (allowed) return resolve(event);
	return new Response(m.error_cross_site(), { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
