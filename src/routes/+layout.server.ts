import { signedInMember } from '$lib/account/account.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// Who is signed in decides what the realtime socket is sent (lib/realtime/watch.ts reads it).
	return {
		me: locals.memberId ? await signedInMember(locals.db, locals.memberId) : null,
		memberId: locals.memberId,
		// A page shows it as the result of its form (see withPostRedirectGet in lib/server/actions.ts).
		postResult: locals.postResult ?? null
	};
};
