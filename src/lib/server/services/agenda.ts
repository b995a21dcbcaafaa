import { groupByLocalDay, type NeighbourhoodAgenda } from '../../domain/agenda.ts';
import type { DataClient } from '../db/client.ts';
import { listUpcomingGatherings } from '../db/gatherings.ts';
import { listOwnMemberships } from '../db/members.ts';
import { findFirstNeighbourhood, findNeighbourhoodBySlug } from '../db/neighbourhoods.ts';

export type { NeighbourhoodAgenda };

/** Four weeks ahead: enough to plan, short enough for a phone on little data. */
const AGENDA_DAYS = 28;
const AGENDA_LIMIT = 60;

/** A neighbourhood's upcoming gatherings by day, as the person behind `db` may see them. */
export async function neighbourhoodAgenda(
	db: DataClient,
	which: { slug: string } | { memberId: string | null },
	now = new Date()
): Promise<NeighbourhoodAgenda | null> {
	const neighbourhood =
		'slug' in which ? await findNeighbourhoodBySlug(db, which.slug) : await defaultNeighbourhood(db, which.memberId);
	if (!neighbourhood) return null;
	const gatherings = await listUpcomingGatherings(db, neighbourhood.id, {
		from: now,
		until: new Date(now.getTime() + AGENDA_DAYS * 86_400_000),
		limit: AGENDA_LIMIT
	});
	return { neighbourhood, days: groupByLocalDay(gatherings, neighbourhood.time_zone) };
}

/** A member's first neighbourhood; for visitors, the first one there is. */
async function defaultNeighbourhood(db: DataClient, memberId: string | null) {
	const first = memberId ? (await listOwnMemberships(db, memberId))[0] : undefined;
	return first ? findNeighbourhoodBySlug(db, first.neighbourhood.slug) : findFirstNeighbourhood(db);
}
