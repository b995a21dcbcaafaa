import { signedInMember } from '$lib/account/account.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	return { me: locals.memberId ? await signedInMember(locals.db, locals.memberId) : null };
};
