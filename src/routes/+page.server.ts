import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { agendaFilterSchema } from '$lib/domain/agenda';
import { localDate } from '$lib/domain/format';
import { DataError, neighbourhoodAgenda } from '$lib/server/services/agenda';
import type { PageServerLoad } from './$types';

/** The agenda of the member's first neighbourhood, or of the first one there is. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const now = new Date();
	const filter = agendaFilterSchema.parse(Object.fromEntries(url.searchParams));
	try {
		const agenda = await neighbourhoodAgenda(locals.db, { memberId: locals.memberId }, now, filter);
		return { agenda, filter, signedIn: Boolean(locals.memberId), today: agenda ? localDate(now, agenda.neighbourhood.time_zone) : null };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
