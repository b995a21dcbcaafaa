import type { Handle, RequestEvent } from '@sveltejs/kit';
import { log, requestIdFrom, withLogContext } from './log.ts';
import { recordRequest } from './metrics.ts';

/** Scrapes and health probes come every few seconds; at `info` they would drown the lines that matter. */
const QUIET_ROUTES = new Set(['/metrics', '/healthz']);

/**
 * First in the hooks' sequence: gives each request an id (a proxy's `x-request-id` if it is
 * safe, else a new one), answers with it, keeps it for every line logged meanwhile, and
 * logs and counts the request once it is answered.
 */
export const observeRequests: Handle = ({ event, resolve }) => {
	const requestId = requestIdFrom(event.request.headers.get('x-request-id'));
	return withLogContext({ requestId }, async () => {
		const started = performance.now();
		let status = 500;
		try {
			const response = await resolve(event);
			status = response.status;
			return withRequestId(response, requestId);
		} finally {
			const seconds = (performance.now() - started) / 1000;
			const route = routeLabel(event);
			const method = event.request.method;
			recordRequest(method, route, status, seconds);
			log[QUIET_ROUTES.has(route) ? 'debug' : 'info']({ method, route, status, durationMs: Math.round(seconds * 10_000) / 10 }, 'request');
		}
	});
};

/** The route id (`/g/[id]`), never the path: paths and query strings carry tokens and codes. */
export function routeLabel(event: Pick<RequestEvent, 'route' | 'url'>): string {
	if (event.route.id) return event.route.id;
	// Sign-in's endpoints are answered by better-auth in a hook, outside any route.
	if (event.url.pathname.startsWith('/api/auth/')) return '/api/auth/[...]';
	return 'unmatched';
}

function withRequestId(response: Response, requestId: string): Response {
	try {
		response.headers.set('x-request-id', requestId);
		return response;
	} catch {
		// Headers of a response taken from fetch are immutable: answer with a copy.
		const copy = new Response(response.body, response);
		copy.headers.set('x-request-id', requestId);
		return copy;
	}
}
