import { neighbourhoodSchema, type Neighbourhood } from './agenda.ts';
import { unwrap, type DataClient } from '../server/db/client.ts';

const columns = 'id, slug, name, description, time_zone, open_for_joining';

export async function findNeighbourhoodBySlug(db: DataClient, slug: string): Promise<Neighbourhood | null> {
	const row = unwrap('findNeighbourhoodBySlug', await db.from('neighbourhood').select(columns).eq('slug', slug).maybeSingle());
	return row ? neighbourhoodSchema.parse(row) : null;
}

/** The oldest neighbourhood: what `/` shows until people pick their own. */
export async function findFirstNeighbourhood(db: DataClient): Promise<Neighbourhood | null> {
	const row = unwrap(
		'findFirstNeighbourhood',
		await db.from('neighbourhood').select(columns).order('created_at').limit(1).maybeSingle()
	);
	return row ? neighbourhoodSchema.parse(row) : null;
}

export async function findNeighbourhoodById(db: DataClient, id: string): Promise<Neighbourhood | null> {
	const row = unwrap('findNeighbourhoodById', await db.from('neighbourhood').select(columns).eq('id', id).maybeSingle());
	return row ? neighbourhoodSchema.parse(row) : null;
}

/** Opens or closes a neighbourhood's public pages for joining without a code (coordinators; RLS decides). */
export async function setOpenForJoining(db: DataClient, id: string, open: boolean): Promise<boolean> {
	const rows = unwrap('setOpenForJoining', await db.from('neighbourhood').update({ open_for_joining: open }).eq('id', id).select('id'));
	return (rows as unknown[]).length === 1;
}

/** Every neighbourhood by name (for choosing where an organisation works). */
export async function listNeighbourhoods(db: DataClient): Promise<Neighbourhood[]> {
	const rows = unwrap('listNeighbourhoods', await db.from('neighbourhood').select(columns).order('name').limit(500));
	return (rows as unknown[]).map((row) => neighbourhoodSchema.parse(row));
}
