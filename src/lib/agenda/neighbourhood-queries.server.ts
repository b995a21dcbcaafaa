import { neighbourhoodSchema, type Neighbourhood } from './agenda.ts';
import { unwrap, type DataClient } from '../server/db/client.ts';

const columns = 'id, slug, name, description, time_zone';

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

/** Every neighbourhood by name (for choosing where an organisation works). */
export async function listNeighbourhoods(db: DataClient): Promise<Neighbourhood[]> {
	const rows = unwrap('listNeighbourhoods', await db.from('neighbourhood').select(columns).order('name').limit(500));
	return (rows as unknown[]).map((row) => neighbourhoodSchema.parse(row));
}
