import { findOwnMember } from '$lib/server/db/members';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const member = locals.memberId ? await findOwnMember(locals.db, locals.memberId).catch(() => null) : null;
	return { me: member ? { displayName: member.display_name } : null };
};
