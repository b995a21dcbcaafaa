import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { z } from 'zod';

/**
 * Starts a session for a member the server has already vouched for — after it checked a
 * personal return link. Server-only: never reachable over HTTP, so only our own code,
 * after its own checks, can call it.
 */
export const memberSessionPlugin = () =>
	({
		id: 'buurtbord-member-session',
		endpoints: {
			startMemberSession: createAuthEndpoint.serverOnly(
				{ method: 'POST', body: z.object({ memberId: z.uuid() }) },
				async (ctx) => {
					const user = await ctx.context.internalAdapter.findUserById(ctx.body.memberId);
					if (!user) throw new APIError('NOT_FOUND', { message: 'member has no sign-in' });
					const session = await ctx.context.internalAdapter.createSession(user.id);
					if (!session) throw new APIError('INTERNAL_SERVER_ERROR', { message: 'no session' });
					await setSessionCookie(ctx, { session, user });
					return ctx.json({ memberId: user.id });
				}
			)
		}
	}) satisfies BetterAuthPlugin;
