import { groupByLocalDay, type AgendaDay, type Neighbourhood } from '../../domain/agenda.ts';
import type { DataClient } from '../db/client.ts';
import { listUpcomingGatherings } from '../db/gatherings.ts';
import { findFirstNeighbourhood, findNeighbourhoodBySlug } from '../db/neighbourhoods.ts';

export interface NeighbourhoodAgenda {
	neighbourhood: Neighbourhood;
	days: AgendaDay[];
}

/** Four weeks ahead: enough to plan, short enough for a phone on little data. */
const AGENDA_DAYS = 28;
const AGENDA_LIMIT = 60;

/** A neighbourhood's upcoming gatherings by day, as the person behind `db` may see them. */
export async function neighbourhoodAgenda(
	db: DataClient,
	which: { slug?: string },
	now = new Date()
): Promise<NeighbourhoodAgenda | null> {
	const neighbourhood = which.slug
		? await findNeighbourhoodBySlug(db, which.slug)
		: await findFirstNeighbourhood(db);
	if (!neighbourhood) return null;
	const gatherings = await listUpcomingGatherings(db, neighbourhood.id, {
		from: now,
		until: new Date(now.getTime() + AGENDA_DAYS * 86_400_000),
		limit: AGENDA_LIMIT
	});
	return { neighbourhood, days: groupByLocalDay(gatherings, neighbourhood.time_zone) };
}
