import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { agendaFilterSchema } from '$lib/agenda/agenda';
import { localDate } from '$lib/ui/format';
import { DataError, neighbourhoodAgenda } from '$lib/agenda/agenda.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!/^[a-z0-9-]{1,60}$/.test(params.slug)) error(404, m.error_not_found());
	const now = new Date();
	const filter = agendaFilterSchema.parse(Object.fromEntries(url.searchParams));
	try {
		const agenda = await neighbourhoodAgenda(locals.db, { slug: params.slug, memberId: locals.memberId }, now, filter);
		if (!agenda) error(404, m.error_not_found());
		return {
			agenda,
			filter,
			signedIn: Boolean(locals.memberId),
			today: localDate(now, agenda.neighbourhood.time_zone),
			// Right after joining with an invite code (join/[code]).
			welcome: Boolean(locals.memberId) && url.searchParams.has('welcome')
		};
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
