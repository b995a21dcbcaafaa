import { z } from 'zod';
import { activityKinds } from '../agenda/agenda.ts';
import { unwrap, type DataClient } from '../server/db/client.ts';

export const ideaSchema = z.object({
	id: z.uuid(),
	neighbourhood_id: z.uuid(),
	title: z.string(),
	description: z.string(),
	kind: z.enum(activityKinds),
	activity_id: z.uuid().nullable(),
	created_at: z.string()
});
export type Idea = z.infer<typeof ideaSchema>;
const columns = 'id, neighbourhood_id, title, description, kind, activity_id, created_at';

export async function findIdea(db: DataClient, id: string): Promise<Idea | null> {
	const row = unwrap('findIdea', await db.from('idea').select(columns).eq('id', id).maybeSingle());
	return row ? ideaSchema.parse(row) : null;
}

/** Records the activity an idea became; false if this person may not (RLS) or it is gone. */
export async function setIdeaActivity(db: DataClient, ideaId: string, activityId: string): Promise<boolean> {
	const result = await db.from('idea').update({ activity_id: activityId }).eq('id', ideaId).select('id');
	// 42501: the activity is not one this person runs (the policy's check).
	if (result.error?.code === '42501') return false;
	return unwrap('setIdeaActivity', result).length === 1;
}

export async function listIdeas(db: DataClient, neighbourhoodId: string): Promise<Idea[]> {
	const rows = unwrap('listIdeas', await db.from('idea').select(columns).eq('neighbourhood_id', neighbourhoodId).order('created_at', { ascending: false }).limit(50));
	return z.array(ideaSchema).parse(rows);
}

export async function ideaCounts(db: DataClient, neighbourhoodId: string) {
	const rows = unwrap('ideaCounts', await db.rpc('idea_counts', { p_neighbourhood: neighbourhoodId }));
	return z.array(z.object({ idea_id: z.uuid(), would_join: z.number().int(), would_host: z.number().int() })).parse(rows);
}

export async function ownInterests(db: DataClient, memberId: string) {
	const rows = unwrap('ownInterests', await db.from('idea_interest').select('idea_id, kind').eq('member_id', memberId));
	return z.array(z.object({ idea_id: z.uuid(), kind: z.enum(['join', 'host']) })).parse(rows);
}

export async function insertIdea(db: DataClient, row: { neighbourhood_id: string; title: string; description: string; kind: string; proposed_by: string }) {
	const created = unwrap('insertIdea', await db.from('idea').insert(row).select('id').single());
	return z.object({ id: z.uuid() }).parse(created).id;
}

/** Adds or takes back the member's "I would join" / "I would help host". */
export async function toggleInterest(db: DataClient, memberId: string, ideaId: string, kind: 'join' | 'host') {
	const existing = unwrap('toggleInterest', await db.from('idea_interest').delete().match({ idea_id: ideaId, member_id: memberId, kind }).select('idea_id'));
	if ((existing as unknown[]).length) return false;
	const { error } = await db.from('idea_interest').insert({ idea_id: ideaId, member_id: memberId, kind });
	return !error;
}
