import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { svelteKitHandler } from 'better-auth/svelte-kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { auth } from '$lib/server/auth';
import { dataClientFor, serviceDataClient } from '$lib/server/db/client';
import { touchMemberSeen } from '$lib/account/member-queries.server';
import { cleanUpInactiveGuests } from '$lib/account/account.server';
import { refreshAllSeries } from '$lib/activities/activities.server';
import { boardAudiences, releaseHeldPlaces } from '$lib/boards/boards.server';
import { sendNoticesNow } from '$lib/reminders/reminders.server';
import { onNoticesQueued, setAuthenticator, setViewSource } from '$lib/realtime/attach.server';
import { log } from '$lib/server/log';
import { observeRequests } from '$lib/server/request-log';
import { refuseCrossSite } from '$lib/server/security/cross-site';
import { sessionLookupFailed } from '$lib/server/outage';
import { markOutage, outageHandle } from '$lib/server/outage-handle';
import { admission } from '$lib/server/admission';
import { takePostResult } from '$lib/server/actions';

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

// When each member was last seen, at most once an hour per process (the SQL also throttles).
const lastTouched = new Map<string, number>();
function noteSeen(memberId: string) {
	const now = Date.now();
	if ((lastTouched.get(memberId) ?? 0) > now - 3_600_000) return;
	if (lastTouched.size > 10_000) lastTouched.clear();
	lastTouched.set(memberId, now);
	void touchMemberSeen(serviceDataClient(), memberId).catch(() => lastTouched.delete(memberId));
}

/** Who is asking: the session cookie (better-auth) decides; the Data API client follows. */
const identity: Handle = async ({ event, resolve }) => {
	if (building) return resolve(event);
	if (event.url.pathname.startsWith('/api/auth/')) {
		return svelteKitHandler({ auth: auth(), event, resolve, building });
	}
	const session = await auth().api.getSession({ headers: event.request.headers }).catch(sessionLookupFailed);
	event.locals.memberId = session?.user.id ?? null;
	event.locals.sessionId = session?.session.id ?? null;
	event.locals.db = await dataClientFor(event.locals.memberId);
	if (event.locals.memberId) noteSeen(event.locals.memberId);
	// A form posted without JavaScript was redirected here with its result (post/redirect/get).
	if (event.request.method === 'GET') event.locals.postResult = takePostResult(event.cookies, event.url.pathname);
	return resolve(event);
};

export const handle = sequence(observeRequests, i18n, refuseCrossSite, outageHandle, admission, identity);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (markOutage(event, error)) return { message: m.error_unavailable(), outage: true };
	if (status !== 404) log.error({ err: error, status }, 'request failed');
	return { message: status === 404 ? m.error_not_found() : m.error_general() };
};

const SIX_HOURS = 6 * 3600 * 1000;

/**
 * Every six hours: keep every running series materialised twelve weeks ahead, and forget
 * guests not seen for GUEST_RETENTION_DAYS.
 */
export const init: ServerInit = () => {
	// Sockets learn who is behind them from the same session cookie as the pages.
	setAuthenticator(async (headers) => {
		const session = await auth()
			.api.getSession({ headers: new Headers(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))) })
			.catch(() => null);
		return session?.user.id ?? null;
	});
	// What each audience of an open board sees after a change the database announced.
	setViewSource('gathering', boardAudiences);
	// Notices go out as soon as the database queues them (moved up, a date cancelled).
	onNoticesQueued(sendNoticesNow);
	const run = async () => {
		await refreshAllSeries().catch((error: unknown) => log.error({ err: error }, 'refreshing series failed'));
		await cleanUpInactiveGuests()
			.then((count) => {
				if (count > 0) log.info({ count }, 'forgot guests not seen for a long time');
			})
			.catch((error: unknown) => log.error({ err: error }, 'guest clean-up failed'));
	};
	setTimeout(run, 30_000).unref();
	// Places held for first-timers open up at their time; checked every ten minutes.
	setInterval(() => void releaseHeldPlaces(serviceDataClient()).catch(() => undefined), 10 * 60_000).unref();
	setInterval(run, SIX_HOURS).unref();
	// Reminders fall due 24 hours before a gathering; checked every five minutes.
	setInterval(sendNoticesNow, 5 * 60_000).unref();
};
