import { z } from 'zod';
import { agendaGatheringSchema, type AgendaGathering } from '../../domain/agenda.ts';
import { unwrap, type DataClient } from './client.ts';

/** Gatherings of a neighbourhood's activities that have not ended by `from` and start before `until`, soonest first. */
export async function listUpcomingGatherings(
	db: DataClient,
	neighbourhoodId: string,
	options: { from: Date; until: Date; limit: number }
): Promise<AgendaGathering[]> {
	const rows = unwrap(
		'listUpcomingGatherings',
		await db
			.from('gathering')
			.select(
				'id, starts_at, ends_at, status, place_name, activity:activity!inner(id, title, kind, place_name, capacity, neighbourhood_id)'
			)
			.eq('activity.neighbourhood_id', neighbourhoodId)
			.gte('ends_at', options.from.toISOString())
			.lt('starts_at', options.until.toISOString())
			.order('starts_at')
			.limit(options.limit)
	);
	return z.array(agendaGatheringSchema).parse(rows);
}
