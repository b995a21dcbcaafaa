import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { readOutbox, usesOutbox } from '$lib/server/mail';
import type { PageServerLoad } from './$types';

/**
 * The local outbox, for developers: only while no SMTP server is configured, and only to a
 * browser on this machine — these messages hold sign-in links.
 */
export const load: PageServerLoad = async ({ getClientAddress }) => {
	const address = getClientAddress();
	const local = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
	if (!usesOutbox() || !local) error(404, m.error_not_found());
	return { messages: await readOutbox() };
};
