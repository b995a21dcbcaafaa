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
	// All of 127.0.0.0/8 is this machine.
	const local = /^(::ffff:)?127\./.test(address) || address === '::1';
	if (!usesOutbox() || !local) error(404, m.error_not_found());
	return { messages: await readOutbox() };
};
