import { z } from 'zod';
import { unwrap, type DataClient } from './client.ts';

export const memberSchema = z.object({
	id: z.uuid(),
	display_name: z.string(),
	locale: z.enum(['nl', 'en'])
});
export type Member = z.infer<typeof memberSchema>;

/** The signed-in member's own record (RLS shows nobody else's). */
export async function findOwnMember(db: DataClient, memberId: string): Promise<Member | null> {
	const row = unwrap(
		'findOwnMember',
		await db.from('member').select('id, display_name, locale').eq('id', memberId).maybeSingle()
	);
	return row ? memberSchema.parse(row) : null;
}

/** Updates the member's own profile; returns null when RLS let no row through. */
export async function updateOwnMember(
	db: DataClient,
	memberId: string,
	changes: Partial<Pick<Member, 'display_name' | 'locale'>>
): Promise<Member | null> {
	const rows = unwrap(
		'updateOwnMember',
		await db.from('member').update(changes).eq('id', memberId).select('id, display_name, locale')
	);
	const row = z.array(memberSchema).parse(rows)[0];
	return row ?? null;
}
