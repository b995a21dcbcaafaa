/**
 * Whether a request that changes something (or opens a socket) may come from where it says
 * it comes from. Browsers name the page's origin in `Origin` on every cross-origin request and
 * on same-origin POSTs, and say `Sec-Fetch-Site: cross-site` when another site started it.
 *
 * A request without either header is not from a browser page on another site (same-origin
 * GETs, such as socket.io's long polling, carry no Origin; neither do scripts and calendar
 * apps, which hold no one's cookies), so it passes.
 *
 * `expected` is the app's public origin (ORIGIN); without one, the request's own Host header
 * stands in for it (`npm run dev` opened under another name, tests without ORIGIN).
 */
export function originAllowed(request: {
	origin: string | null | undefined;
	secFetchSite?: string | null | undefined;
	host?: string | null | undefined;
	expected: string | null | undefined;
	/** Also accept a page served under the request's own Host (development only). */
	sameHost?: boolean;
}): boolean {
	if (request.secFetchSite === 'cross-site') return false;
	const origin = request.origin;
	if (origin === null || origin === undefined) return true;
	if (origin === 'null') return false;
	if (request.expected && origin === new URL(request.expected).origin) return true;
	if (request.sameHost || !request.expected) {
		try {
			return Boolean(request.host) && new URL(origin).host === request.host;
		} catch {
			return false;
		}
	}
	return false;
}
