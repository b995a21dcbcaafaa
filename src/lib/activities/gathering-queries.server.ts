import { z } from 'zod';
import { agendaGatheringColumns, agendaGatheringSchema, type AgendaGathering } from '../agenda/agenda.ts';
import { unwrap, type DataClient } from '../server/db/client.ts';
import { feedGatheringSchema } from '../feeds/feeds.ts';

/**
 * Gatherings of a neighbourhood's activities, or of one activity, that have not ended by
 * `from` (and start before `until`, if given), soonest first.
 */
export async function listUpcomingGatherings(
	db: DataClient,
	of: { neighbourhoodId: string } | { activityId: string },
	options: { from: Date; until?: Date; limit: number }
): Promise<AgendaGathering[]> {
	let query = db.from('gathering').select(agendaGatheringColumns);
	query = 'activityId' in of ? query.eq('activity_id', of.activityId) : query.eq('activity.neighbourhood_id', of.neighbourhoodId);
	query = query.gte('ends_at', options.from.toISOString());
	if (options.until) query = query.lt('starts_at', options.until.toISOString());
	const rows = unwrap('listUpcomingGatherings', await query.order('starts_at').limit(options.limit));
	return z.array(agendaGatheringSchema).parse(rows);
}

// A gathering as its page shows it: the feed's view of the row, without the feed's bookkeeping.
export const gatheringDetailSchema = feedGatheringSchema.omit({ occurrence_starts_at: true, updated_at: true });
export type GatheringDetail = z.infer<typeof gatheringDetailSchema>;
const detailColumns = 'id, activity_id, starts_at, ends_at, status, cancellation_reason, place_name, place_address, is_extra, sequence';

export async function findGathering(db: DataClient, id: string): Promise<GatheringDetail | null> {
	const row = unwrap('findGathering', await db.from('gathering').select(detailColumns).eq('id', id).maybeSingle());
	return row ? gatheringDetailSchema.parse(row) : null;
}

/** Changes one gathering (cancel, move); false if RLS let no row through. */
export async function updateGathering(db: DataClient, id: string, changes: Record<string, unknown>): Promise<boolean> {
	const rows = unwrap('updateGathering', await db.from('gathering').update(changes).eq('id', id).select('id'));
	return (rows as unknown[]).length === 1;
}

export async function insertExtraGathering(
	db: DataClient,
	row: { activity_id: string; starts_at: string; ends_at: string; place_name: string | null; place_address: string | null }
): Promise<string> {
	const created = unwrap(
		'insertExtraGathering',
		await db
			.from('gathering')
			.insert({ ...row, occurrence_starts_at: row.starts_at, is_extra: true })
			.select('id')
			.single()
	);
	return z.object({ id: z.uuid() }).parse(created).id;
}

/** These gatherings as the agenda shows them, soonest first. */
export async function listGatheringsByIds(db: DataClient, ids: string[]): Promise<AgendaGathering[]> {
	if (ids.length === 0) return [];
	const rows = unwrap('listGatheringsByIds', await db.from('gathering').select(agendaGatheringColumns).in('id', ids).order('starts_at'));
	return z.array(agendaGatheringSchema).parse(rows);
}
