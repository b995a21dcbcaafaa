import { groupByLocalDay, matchesFilter, withGaps, type AgendaFilter, type NeighbourhoodAgenda } from './agenda.ts';
import { localDate } from '../ui/format.ts';
import type { DataClient } from '../server/db/client.ts';
import { listUpcomingGatherings } from '../activities/gathering-queries.server.ts';
import { listHostedActivities } from '../activities/activity-queries.server.ts';
import { listOwnMemberships } from '../account/member-queries.server.ts';
import { findFirstNeighbourhood, findNeighbourhoodBySlug } from './neighbourhood-queries.server.ts';

export type { NeighbourhoodAgenda };
// Pages tell an outage (503) from other failures by it.
export { DataError } from '../server/db/client.ts';

/** A neighbourhood by its slug, and whether this person (if signed in) is one of its members. */
export async function neighbourhoodAndMembership(db: DataClient, slug: string, memberId: string | null) {
	const neighbourhood = await findNeighbourhoodBySlug(db, slug);
	if (!neighbourhood) return null;
	const member = memberId ? (await listOwnMemberships(db, memberId)).some((x) => x.neighbourhood_id === neighbourhood.id) : false;
	return { neighbourhood, member };
}

/** Four weeks ahead: enough to plan, short enough for a phone on little data. */
const AGENDA_DAYS = 28;
const AGENDA_LIMIT = 60;

/** A neighbourhood's upcoming gatherings by day, as the person behind `db` may see them. */
export async function neighbourhoodAgenda(
	db: DataClient,
	which: { slug: string; memberId?: string | null } | { memberId: string | null },
	now = new Date(),
	filter: AgendaFilter = {}
): Promise<NeighbourhoodAgenda | null> {
	const neighbourhood =
		'slug' in which ? await findNeighbourhoodBySlug(db, which.slug) : await defaultNeighbourhood(db, which.memberId);
	if (!neighbourhood) return null;
	const gatherings = await listUpcomingGatherings(db, { neighbourhoodId: neighbourhood.id }, {
		from: now,
		until: new Date(now.getTime() + AGENDA_DAYS * 86_400_000),
		limit: AGENDA_LIMIT
	});
	const zone = neighbourhood.time_zone;
	const days = groupByLocalDay(gatherings.filter((g) => matchesFilter(g, filter, zone)), zone);
	const filtered = Object.values(filter).some(Boolean);
	// Gaps only make sense on the whole agenda, not on a filtered view.
	return { neighbourhood, days: filtered ? days : withGaps(days, localDate(now, zone), zone), plans: await plansIn(db, neighbourhood.id, which.memberId ?? null) };
}

/** Whether this person coordinates the neighbourhood or hosts one of its activities. */
async function plansIn(db: DataClient, neighbourhoodId: string, memberId: string | null) {
	if (!memberId) return false;
	const [memberships, hosted] = await Promise.all([listOwnMemberships(db, memberId), listHostedActivities(db, memberId)]);
	return (
		memberships.some((x) => x.neighbourhood_id === neighbourhoodId && x.role === 'coordinator') ||
		hosted.some((a) => a.neighbourhood_id === neighbourhoodId)
	);
}

/** A member's first neighbourhood; for visitors, the first one there is. */
async function defaultNeighbourhood(db: DataClient, memberId: string | null) {
	const first = memberId ? (await listOwnMemberships(db, memberId))[0] : undefined;
	return first ? findNeighbourhoodBySlug(db, first.neighbourhood.slug) : findFirstNeighbourhood(db);
}
