import { z } from 'zod';
import { unwrap, type DataClient } from '../server/db/client.ts';

const returnLinkSchema = z.object({ id: z.uuid(), created_at: z.string(), last_used_at: z.string().nullable() });
export type ReturnLinkInfo = z.infer<typeof returnLinkSchema>;

/** The member's working return link, without its token (which is stored only hashed). */
export async function findActiveReturnLink(db: DataClient, memberId: string): Promise<ReturnLinkInfo | null> {
	const row = unwrap(
		'findActiveReturnLink',
		await db
			.from('member_return_link')
			.select('id, created_at, last_used_at')
			.eq('member_id', memberId)
			.is('revoked_at', null)
			.maybeSingle()
	);
	return row ? returnLinkSchema.parse(row) : null;
}

export async function revokeReturnLinks(db: DataClient, memberId: string): Promise<number> {
	const rows = unwrap(
		'revokeReturnLinks',
		await db
			.from('member_return_link')
			.update({ revoked_at: new Date().toISOString() })
			.eq('member_id', memberId)
			.is('revoked_at', null)
			.select('id')
	);
	return (rows as unknown[]).length;
}

/** Replaces the member's return link with a new one (service role). */
export async function createReturnLink(service: DataClient, memberId: string, tokenHash: string): Promise<void> {
	unwrap('createReturnLink', await service.rpc('create_return_link', { p_member_id: memberId, p_token_hash: tokenHash }));
}

/** The member a working return link belongs to (service role), or null. */
export async function useReturnLink(service: DataClient, tokenHash: string): Promise<string | null> {
	const result = unwrap('useReturnLink', await service.rpc('use_return_link', { p_token_hash: tokenHash }));
	return z.uuid().nullable().parse(result);
}
