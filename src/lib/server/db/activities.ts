import { z } from 'zod';
import { activitySummaryColumns, activitySummarySchema, type ActivitySummary } from '../../domain/activity.ts';
import { agendaGatheringSchema, type AgendaGathering } from '../../domain/agenda.ts';
import { unwrap, type DataClient } from './client.ts';

export async function findActivity(db: DataClient, id: string): Promise<ActivitySummary | null> {
	const row = unwrap('findActivity', await db.from('activity').select(activitySummaryColumns).eq('id', id).maybeSingle());
	return row ? activitySummarySchema.parse(row) : null;
}

/** Display names of the hosts: public, as on a poster ("hosted by Fatima"). */
export async function hostNames(db: DataClient, activityId: string): Promise<string[]> {
	const rows = unwrap('hostNames', await db.rpc('activity_host_names', { p_activity_id: activityId }));
	return z.array(z.object({ display_name: z.string() })).parse(rows).map((r) => r.display_name);
}

/** Activities the member hosts (for invites and posters). */
export async function listHostedActivities(db: DataClient, memberId: string) {
	const rows = unwrap(
		'listHostedActivities',
		await db.from('activity_host').select('activity:activity!inner(id, title, neighbourhood_id)').eq('member_id', memberId)
	);
	return z
		.array(z.object({ activity: z.object({ id: z.uuid(), title: z.string(), neighbourhood_id: z.uuid() }) }))
		.parse(rows)
		.map((r) => r.activity);
}

export async function listUpcomingGatheringsOfActivity(
	db: DataClient,
	activityId: string,
	options: { from: Date; limit: number }
): Promise<AgendaGathering[]> {
	const rows = unwrap(
		'listUpcomingGatheringsOfActivity',
		await db
			.from('gathering')
			.select('id, starts_at, ends_at, status, place_name, activity:activity!inner(id, title, kind, place_name, capacity)')
			.eq('activity_id', activityId)
			.gte('ends_at', options.from.toISOString())
			.order('starts_at')
			.limit(options.limit)
	);
	return z.array(agendaGatheringSchema).parse(rows);
}
