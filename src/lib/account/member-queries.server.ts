import { z } from 'zod';
import { unwrap, type DataClient } from '../server/db/client.ts';

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

const membershipSchema = z.object({
	neighbourhood_id: z.uuid(),
	role: z.enum(['member', 'coordinator']),
	neighbourhood: z.object({ name: z.string(), slug: z.string(), time_zone: z.string() })
});
export type Membership = z.infer<typeof membershipSchema>;

export async function listOwnMemberships(db: DataClient, memberId: string): Promise<Membership[]> {
	const rows = unwrap(
		'listOwnMemberships',
		await db
			.from('neighbourhood_member')
			.select('neighbourhood_id, role, neighbourhood(name, slug, time_zone)')
			.eq('member_id', memberId)
			.order('joined_at')
	);
	return z.array(membershipSchema).parse(rows);
}

/** Leaves a neighbourhood; false if there was no such membership. */
export async function leaveNeighbourhood(db: DataClient, memberId: string, neighbourhoodId: string): Promise<boolean> {
	const rows = unwrap(
		'leaveNeighbourhood',
		await db
			.from('neighbourhood_member')
			.delete()
			.eq('member_id', memberId)
			.eq('neighbourhood_id', neighbourhoodId)
			.select('neighbourhood_id')
	);
	return (rows as unknown[]).length === 1;
}

// Privileged steps the server takes after its own checks (service role) ---------------------

const joinResultSchema = z.object({ neighbourhood_id: z.uuid(), activity_id: z.uuid().nullable(), joined_now: z.boolean() });

/** Joins through an invite in one transaction (see join_with_invite); null if the invite no longer works. */
export async function joinWithInvite(
	service: DataClient,
	args: { codeHash: string; memberId: string; displayName: string; locale: string }
) {
	const result = await service.rpc('join_with_invite', {
		p_code_hash: args.codeHash,
		p_member_id: args.memberId,
		p_display_name: args.displayName,
		p_locale: args.locale
	});
	if (result.error?.code === 'P0001' || result.error?.code === 'P0002') return null;
	return z.array(joinResultSchema).parse(unwrap('joinWithInvite', result))[0] ?? null;
}

/** Joins an open neighbourhood (join_openly); null when it takes invite codes only. */
export async function joinOpenly(service: DataClient, args: { neighbourhoodId: string; memberId: string; displayName: string; locale: string }) {
	const result = await service.rpc('join_openly', {
		p_neighbourhood: args.neighbourhoodId,
		p_member_id: args.memberId,
		p_display_name: args.displayName,
		p_locale: args.locale
	});
	if (result.error?.code === 'P0001' || result.error?.code === 'P0002') return null;
	return z.array(z.object({ neighbourhood_id: z.uuid(), joined_now: z.boolean() })).parse(unwrap('joinOpenly', result))[0] ?? null;
}

/** Everything stored about a member: the account (export_member) and what they took part in. */
export async function exportMember(service: DataClient, memberId: string): Promise<Record<string, unknown>> {
	const [account, participation, broughtAlong] = await Promise.all([
		service.rpc('export_member', { p_member_id: memberId }),
		service.rpc('export_member_participation', { p_member_id: memberId }),
		service.rpc('export_member_brought_along', { p_member_id: memberId })
	]);
	return {
		...(unwrap('exportMember', account) as object),
		...(unwrap('exportMemberParticipation', participation) as object),
		...(unwrap('exportMemberBroughtAlong', broughtAlong) as object)
	};
}

/** Deletes a member; answers the upcoming gatherings whose boards changed (places, slots, help). */
export async function forgetMember(service: DataClient, memberId: string): Promise<string[]> {
	return z.array(z.uuid()).parse(unwrap('forgetMember', await service.rpc('forget_member', { p_member_id: memberId })) ?? []);
}

export async function forgetInactiveGuests(service: DataClient, before: Date): Promise<number> {
	return z.number().int().parse(unwrap('forgetInactiveGuests', await service.rpc('forget_inactive_guests', { p_before: before.toISOString() })));
}

export async function touchMemberSeen(service: DataClient, memberId: string): Promise<void> {
	unwrap('touchMemberSeen', await service.rpc('touch_member_seen', { p_member_id: memberId }));
}
