import { agendaMarks, groupByLocalDay, matchesFilter, withGaps, type AgendaFilter, type NeighbourhoodAgenda } from './agenda.ts';
import { localDate } from '../ui/format.ts';
import type { DataClient } from '../server/db/client.ts';
import { listUpcomingGatherings } from '../activities/gathering-queries.server.ts';
import { listHostedActivities } from '../activities/activity-queries.server.ts';
import { listOwnMemberships, type Membership } from '../account/member-queries.server.ts';
import { listMyPlans, listPlacesLeft } from '../boards/queries.server.ts';
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
	const memberId = which.memberId ?? null;
	// Read once: the member's first neighbourhood comes from them, and so does being its coordinator.
	const memberships = memberId ? await listOwnMemberships(db, memberId) : [];
	const neighbourhood = 'slug' in which ? await findNeighbourhoodBySlug(db, which.slug) : await defaultNeighbourhood(db, memberships);
	if (!neighbourhood) return null;
	const [gatherings, plans, mine] = await Promise.all([
		listUpcomingGatherings(db, { neighbourhoodId: neighbourhood.id }, {
			from: now,
			until: new Date(now.getTime() + AGENDA_DAYS * 86_400_000),
			limit: AGENDA_LIMIT
		}),
		plansIn(db, neighbourhood.id, memberId, memberships),
		memberId ? listMyPlans(db, now) : []
	]);
	const zone = neighbourhood.time_zone;
	const shown = gatherings.filter((g) => matchesFilter(g, filter, zone));
	const placesLeft = await listPlacesLeft(db, shown.filter((g) => g.activity.capacity !== null && g.status === 'scheduled').map((g) => g.id));
	const days = groupByLocalDay(shown, zone);
	const filtered = Object.values(filter).some(Boolean);
	// Gaps only make sense on the whole agenda, not on a filtered view.
	return { neighbourhood, days: filtered ? days : withGaps(days, localDate(now, zone), zone), plans, marks: agendaMarks(shown, placesLeft, mine) };
}

/** Whether this person coordinates the neighbourhood or hosts one of its activities. */
async function plansIn(db: DataClient, neighbourhoodId: string, memberId: string | null, memberships: Membership[]) {
	if (!memberId) return false;
	if (memberships.some((x) => x.neighbourhood_id === neighbourhoodId && x.role === 'coordinator')) return true;
	return (await listHostedActivities(db, memberId)).some((a) => a.neighbourhood_id === neighbourhoodId);
}

/** A member's first neighbourhood; for visitors, the first one there is. */
async function defaultNeighbourhood(db: DataClient, memberships: Membership[]) {
	const first = memberships[0];
	return first ? findNeighbourhoodBySlug(db, first.neighbourhood.slug) : findFirstNeighbourhood(db);
}
