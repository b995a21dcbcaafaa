import { z } from 'zod';
import { unwrap, type DataClient } from '../server/db/client.ts';

export const inviteStatuses = ['valid', 'revoked', 'expired'] as const;
export type InviteStatus = (typeof inviteStatuses)[number];

const foundInviteSchema = z.object({
	invite_id: z.uuid(),
	neighbourhood_id: z.uuid(),
	activity_id: z.uuid().nullable(),
	status: z.enum(inviteStatuses)
});
export type FoundInvite = z.infer<typeof foundInviteSchema>;

/** Where a code leads and whether it still works; only an exact hash matches. */
export async function findInviteByHash(db: DataClient, codeHash: string): Promise<FoundInvite | null> {
	const rows = unwrap('findInviteByHash', await db.rpc('find_invite', { p_code_hash: codeHash }));
	return z.array(foundInviteSchema).parse(rows)[0] ?? null;
}

export const managedInviteSchema = z.object({
	id: z.uuid(),
	neighbourhood_id: z.uuid(),
	activity_id: z.uuid().nullable(),
	code_sealed: z.string(),
	label: z.string(),
	created_at: z.string(),
	expires_at: z.string().nullable(),
	revoked_at: z.string().nullable(),
	use_count: z.number().int(),
	neighbourhood: z.object({ name: z.string(), slug: z.string() }),
	activity: z.object({ title: z.string() }).nullable()
});
export type ManagedInvite = z.infer<typeof managedInviteSchema>;
const managedColumns =
	'id, neighbourhood_id, activity_id, code_sealed, label, created_at, expires_at, revoked_at, use_count, neighbourhood(name, slug), activity(title)';

/** Invites the member may manage (RLS: coordinators and hosts), newest first. */
export async function listManagedInvites(db: DataClient): Promise<ManagedInvite[]> {
	const rows = unwrap('listManagedInvites', await db.from('invite').select(managedColumns).order('created_at', { ascending: false }));
	return z.array(managedInviteSchema).parse(rows);
}

export async function findManagedInvite(db: DataClient, id: string): Promise<ManagedInvite | null> {
	const row = unwrap('findManagedInvite', await db.from('invite').select(managedColumns).eq('id', id).maybeSingle());
	return row ? managedInviteSchema.parse(row) : null;
}

export async function insertInvite(
	db: DataClient,
	invite: {
		neighbourhood_id: string;
		activity_id: string | null;
		code_hash: string;
		code_sealed: string;
		label: string;
		created_by: string;
		expires_at: string | null;
	}
): Promise<string> {
	const row = unwrap('insertInvite', await db.from('invite').insert(invite).select('id').single());
	return z.object({ id: z.uuid() }).parse(row).id;
}

/** Revokes an invite the member manages; false if RLS let no row through. */
export async function revokeInvite(db: DataClient, id: string): Promise<boolean> {
	const rows = unwrap(
		'revokeInvite',
		await db.from('invite').update({ revoked_at: new Date().toISOString() }).eq('id', id).is('revoked_at', null).select('id')
	);
	return (rows as unknown[]).length === 1;
}
