/**
 * A browser without JavaScript, as tests over the built app play it: plain form posts from one
 * address (X-Forwarded-For, which those servers trust), with a session cookie once joined.
 */
export const plainFormHeaders = (origin: string, cookie: string, address: string) => ({
	origin,
	accept: 'text/html',
	'content-type': 'application/x-www-form-urlencoded',
	'x-forwarded-for': address,
	cookie
});

/** Joins through an invite with a plain form; the session cookie, or an error naming the answer. */
export async function joinWithPlainForm(origin: string, code: string, name: string, address: string): Promise<string> {
	const joined = await fetch(`${origin}/join/${code}`, {
		method: 'POST',
		headers: plainFormHeaders(origin, '', address),
		body: new URLSearchParams({ display_name: name, lang: 'nl' }),
		redirect: 'manual'
	});
	if (joined.status !== 303) throw new Error(`joining answered ${joined.status}`);
	return joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
