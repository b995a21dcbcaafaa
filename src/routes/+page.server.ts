import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { agendaFilterSchema } from '$lib/agenda/agenda';
import { localDate } from '$lib/ui/format';
import { DataError, neighbourhoodAgenda } from '$lib/agenda/agenda.server';
import type { PageServerLoad } from './$types';

/** The agenda of the member's first neighbourhood, or of the first one there is. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const now = new Date();
	const filter = agendaFilterSchema.parse(Object.fromEntries(url.searchParams));
	try {
		const agenda = await neighbourhoodAgenda(locals.db, { memberId: locals.memberId }, now, filter);
		return { agenda, filter, signedIn: Boolean(locals.memberId), accountDeleted: url.searchParams.get('deleted') === '1', today: agenda ? localDate(now, agenda.neighbourhood.time_zone) : null };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
