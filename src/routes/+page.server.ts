import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localDate } from '$lib/domain/format';
import { DataError } from '$lib/server/db/client';
import { neighbourhoodAgenda } from '$lib/server/services/agenda';
import type { PageServerLoad } from './$types';

/** The agenda of the member's first neighbourhood, or of the first one there is. */
export const load: PageServerLoad = async ({ locals }) => {
	const now = new Date();
	try {
		const agenda = await neighbourhoodAgenda(locals.db, { memberId: locals.memberId }, now);
		return { agenda, today: agenda ? localDate(now, agenda.neighbourhood.time_zone) : null };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
