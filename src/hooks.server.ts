import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { dataClientFor } from '$lib/server/db/client';

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

const identity: Handle = async ({ event, resolve }) => {
	// Sign-in arrives with the joining issue; until then everyone is a visitor (`anon`).
	event.locals.memberId = null;
	event.locals.db = await dataClientFor(event.locals.memberId);
	return resolve(event);
};

export const handle = sequence(i18n, identity);

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return { message: status === 404 ? m.error_not_found() : m.error_general() };
};
