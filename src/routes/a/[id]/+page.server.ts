import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { groupByLocalDay } from '$lib/domain/agenda';
import { localDate } from '$lib/domain/format';
import { uuidFormValue } from '$lib/domain/forms';
import { DataError } from '$lib/server/db/client';
import { activityPage } from '$lib/server/services/activities';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!uuidFormValue.safeParse(params.id).success) error(404, m.error_not_found());
	const now = new Date();
	try {
		const page = await activityPage(locals.db, params.id, now);
		if (!page) error(404, m.error_not_found());
		const timeZone = page.activity.schedule_time_zone;
		return { ...page, days: groupByLocalDay(page.upcoming, timeZone), today: localDate(now, timeZone) };
	} catch (cause) {
		if (cause instanceof DataError) error(503, m.error_unavailable());
		throw cause;
	}
};
