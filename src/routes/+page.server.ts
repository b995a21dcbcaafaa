import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { DataError } from '$lib/server/db/client';
import { neighbourhoodAgenda } from '$lib/server/services/agenda';
import { localDate } from '$lib/domain/format';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const now = new Date();
	try {
		const agenda = await neighbourhoodAgenda(locals.db, {}, now);
		return {
			agenda,
			today: agenda ? localDate(now, agenda.neighbourhood.time_zone) : null
		};
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
