import type { Handle, RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { isOutage } from './outage.ts';
import { log, onceEvery } from './log.ts';
import { actionName, escapeHtml as escape, failureAnswer, plainPage } from './action-answer.ts';

/** Seconds a client is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Turns an outage (outage.ts) into a quick, friendly "try again in a moment" instead of an
 * error page or a hang:
 * - pages: 503 with Retry-After; SvelteKit's own error page when it could render one (the
 *   route failed), else a small page of our own (the session lookup failed, so nothing of
 *   the page can be trusted — it must not look as if the person were signed out);
 * - form posts with JavaScript (`use:enhance`): a failure the form shows inline
 *   ("error_try_again"), so what the person entered stays in the form;
 * - form posts without JavaScript: a page with one button that sends the same answers again.
 * Runs inside the language middleware (for the messages) and around everything else.
 */
export const outageHandle: Handle = async ({ event, resolve }) => {
	// A form post's fields, kept in case the post meets an outage (forms here are small).
	const posted = isFormPost(event.request) ? event.request.clone() : null;
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		if (!isOutage(error)) throw error;
		noteOutage(error);
		return answer(event, posted, null);
	}
	if (response.status === 500 && event.locals.outage) return answer(event, posted, response);
	if (response.status === 503 && !response.headers.has('retry-after')) return withStatus(response, 503);
	return response;
};

/** For handleError: marks the request as having met an outage; true if it did. */
export function markOutage(event: RequestEvent, error: unknown): boolean {
	if (!isOutage(error)) return false;
	event.locals.outage = true;
	noteOutage(error);
	return true;
}

const outageLine = onceEvery(5000);
function noteOutage(error: unknown) {
	// One line every few seconds, not one per request.
	if (!outageLine()) return;
	log.error({ err: error }, 'outage: answering 503 "try again"');
}

function isFormPost(request: Request) {
	const type = request.headers.get('content-type') ?? '';
	return request.method === 'POST' && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'));
}

function wantsJson(request: Request) {
	const accept = request.headers.get('accept') ?? '';
	return accept.includes('application/json') && !accept.includes('text/html');
}

async function answer(event: RequestEvent, posted: Request | null, rendered: Response | null): Promise<Response> {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
	if (posted && event.request.headers.get('x-sveltekit-action') === 'true') {
		// The shape SvelteKit gives `fail(503, …)` from a form action.
		const data = { action: actionName(event.url), errors: { form: 'error_try_again' }, values: await textFields(posted) };
		return new Response(failureAnswer(503, data), {
			headers: { ...headers, 'content-type': 'application/json' }
		});
	}
	if (posted && !wantsJson(event.request)) return page(event, await textFields(posted), headers);
	if (rendered) return withStatus(rendered, 503);
	if (event.url.pathname.endsWith('/__data.json')) {
		// What the client router shows as its error page, with the 503 heading.
		return new Response(JSON.stringify({ message: m.error_unavailable(), outage: true }), {
			status: 503,
			headers: { ...headers, 'content-type': 'application/json' }
		});
	}
	if ((event.request.headers.get('accept') ?? '').includes('text/html')) return page(event, null, headers);
	return new Response(m.error_unavailable(), { status: 503, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

function withStatus(response: Response, status: number): Response {
	const headers = new Headers(response.headers);
	headers.set('retry-after', String(RETRY_AFTER_SECONDS));
	headers.set('cache-control', 'no-store');
	return new Response(response.body, { status, headers });
}


async function textFields(request: Request): Promise<Record<string, string>> {
	try {
		const form = await request.formData();
		const fields: Record<string, string> = {};
		for (const [key, value] of form) if (typeof value === 'string' && !(key in fields)) fields[key] = value;
		return fields;
	} catch {
		return {};
	}
}

/** A page of its own: no layout, no script, readable on any phone. */
function page(event: RequestEvent, fields: Record<string, string> | null, headers: Record<string, string>): Response {
	const title = m.error_title_unavailable();
	const again = fields
		? `<form method="post" action="${escape(event.url.pathname + event.url.search)}">${Object.entries(fields)
				.map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
				.join('')}<p>${escape(m.outage_kept())}</p><button>${escape(m.outage_try_again())}</button></form>`
		: `<p><a class="button" href="${escape(event.url.pathname + event.url.search)}">${escape(m.outage_try_again())}</a></p>`;
	const html = plainPage({
		lang: getLocale(),
		title,
		head: fields ? '' : `<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS * 3}">`,
		body: `<p data-outage>${escape(m.error_unavailable())}</p>${again}`
	});
	return new Response(html, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}
