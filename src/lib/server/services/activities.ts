import { findActivity, hostNames, listUpcomingGatheringsOfActivity } from '../db/activities.ts';
import type { DataClient } from '../db/client.ts';
import { findNeighbourhoodById } from '../db/neighbourhoods.ts';

/** An activity's public page: what, where, cost, who hosts, the next dates. */
export async function activityPage(db: DataClient, activityId: string, now = new Date()) {
	const activity = await findActivity(db, activityId);
	if (!activity) return null;
	const [neighbourhood, hosts, upcoming] = await Promise.all([
		findNeighbourhoodById(db, activity.neighbourhood_id),
		hostNames(db, activity.id),
		listUpcomingGatheringsOfActivity(db, activity.id, { from: now, limit: 6 })
	]);
	if (!neighbourhood) return null;
	return { activity, neighbourhood, hosts, upcoming };
}
