import { z } from 'zod';
import { activitySummaryColumns, activitySummarySchema, type ActivitySummary } from './activity.ts';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

export async function findActivity(db: DataClient, id: string): Promise<ActivitySummary | null> {
	const row = unwrap('findActivity', await db.from('activity').select(activitySummaryColumns).eq('id', id).maybeSingle());
	return row ? activitySummarySchema.parse(row) : null;
}

const hostSchema = z.object({ member_id: z.uuid(), display_name: z.string() });
export type Host = z.infer<typeof hostSchema>;

/** The hosts (display names are public, as on a poster: "hosted by Fatima"). */
export async function listHosts(db: DataClient, activityId: string): Promise<Host[]> {
	return z.array(hostSchema).parse(unwrap('listHosts', await db.rpc('activity_host_names', { p_activity_id: activityId })));
}

export async function hostNames(db: DataClient, activityId: string): Promise<string[]> {
	return (await listHosts(db, activityId)).map((h) => h.display_name);
}

export async function cohostCandidates(db: DataClient, activityId: string): Promise<Host[]> {
	return z.array(hostSchema).parse(unwrap('cohostCandidates', await db.rpc('cohost_candidates', { p_activity: activityId })));
}

/** Whether the person behind `db` may run this activity (host, or coordinator stepping in). */
export async function canRunActivity(db: DataClient, activityId: string): Promise<boolean> {
	const result = await db.rpc('can_run_activity', { p_activity: activityId });
	return result.error ? false : result.data === true;
}

export type ActivityRow = Record<string, unknown>;

export async function insertActivity(db: DataClient, row: ActivityRow): Promise<string> {
	const created = unwrap('insertActivity', await db.from('activity').insert(row).select('id').single());
	return z.object({ id: z.uuid() }).parse(created).id;
}

/** Updates an activity; false if RLS let no row through (not a host). */
export async function updateActivity(db: DataClient, id: string, changes: ActivityRow): Promise<boolean> {
	const rows = unwrap('updateActivity', await db.from('activity').update(changes).eq('id', id).select('id'));
	return (rows as unknown[]).length === 1;
}

const savedSchema = z.object({
	added: z.number().int(),
	removed: z.number().int(),
	kept: z.array(z.object({ id: z.uuid(), starts_at: z.string(), status: z.string() }))
});
export type SavedGatherings = z.infer<typeof savedSchema>;

/** Materialises the series' occurrences from `from` on (see save_gatherings). */
export async function saveGatherings(
	db: DataClient,
	activityId: string,
	occurrences: { occurrenceStartsAt: string; startsAt: string; endsAt: string }[],
	from: Date
): Promise<SavedGatherings> {
	const result = await db.rpc('save_gatherings', {
		p_activity: activityId,
		p_occurrences: occurrences.map((o) => ({ occurrence_starts_at: o.occurrenceStartsAt, starts_at: o.startsAt, ends_at: o.endsAt })),
		p_from: from.toISOString()
	});
	return savedSchema.parse(unwrap('saveGatherings', result));
}

/** Changes to hosts; each returns a reason when the database refuses. */
export async function changeHosts(
	db: DataClient,
	change: { kind: 'add' | 'remove' | 'hand_over'; activityId: string; memberId: string }
): Promise<'ok' | 'last_host' | 'not_allowed'> {
	const fn = { add: 'add_cohost', remove: 'remove_host', hand_over: 'hand_over_activity' }[change.kind];
	const args =
		change.kind === 'hand_over'
			? { p_activity: change.activityId, p_to: change.memberId }
			: { p_activity: change.activityId, p_member: change.memberId };
	const { error } = await db.rpc(fn, args);
	if (!error) return 'ok';
	if (error.hint === 'last_host') return 'last_host';
	if (error.code === '42501' || error.code === 'P0001') return 'not_allowed';
	throw new DataError('changeHosts', error.code, error.message);
}

/** Active activities, for keeping every series materialised (service role). */
export async function listActiveActivities(service: DataClient): Promise<ActivitySummary[]> {
	const rows = unwrap('listActiveActivities', await service.from('activity').select(activitySummaryColumns).eq('status', 'active'));
	return z.array(activitySummarySchema).parse(rows);
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

