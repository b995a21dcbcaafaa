import { signedInMember } from '$lib/server/services/account';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	return { me: locals.memberId ? await signedInMember(locals.db, locals.memberId) : null };
};
