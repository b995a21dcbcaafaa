import type { ActivitySummary } from '../activities/activity.ts';
import type { AgendaGathering, Neighbourhood } from '../agenda/agenda.ts';
import { normalizeInviteCode } from './invite-code.ts';
import { auth } from '../server/auth/index.ts';
import { hashSecret } from '../server/auth/sealing.ts';
import { findActivity, hostNames } from '../activities/activity-queries.server.ts';
import { serviceDataClient, type DataClient } from '../server/db/client.ts';
import { listUpcomingGatherings } from '../activities/gathering-queries.server.ts';
import { findInviteByHash } from './invite-queries.server.ts';
import { findOwnMember, joinOpenly, joinWithInvite, listOwnMemberships } from '../account/member-queries.server.ts';
import { findNeighbourhoodById } from '../agenda/neighbourhood-queries.server.ts';
import { consume } from '../server/rate-limit.ts';

/** What the welcome page of an invite link shows: never who else is coming. */
export type Welcome =
	| { status: 'unknown' }
	| {
			status: 'valid' | 'revoked' | 'expired';
			code: string;
			neighbourhood: Neighbourhood;
			activity: ActivitySummary | null;
			hosts: string[];
			upcoming: AgendaGathering[];
			alreadyMember: boolean;
	  };

export async function welcomeFor(db: DataClient, rawCode: string, memberships: string[]): Promise<Welcome> {
	const code = normalizeInviteCode(rawCode);
	if (!code) return { status: 'unknown' };
	const invite = await findInviteByHash(db, hashSecret(code));
	if (!invite) return { status: 'unknown' };
	const neighbourhood = await findNeighbourhoodById(db, invite.neighbourhood_id);
	if (!neighbourhood) return { status: 'unknown' };
	const now = new Date();
	const activity = invite.activity_id ? await findActivity(db, invite.activity_id) : null;
	const [hosts, upcoming] = await Promise.all([
		activity ? hostNames(db, activity.id) : Promise.resolve([]),
		activity
			? listUpcomingGatherings(db, { activityId: activity.id }, { from: now, limit: 3 })
			: listUpcomingGatherings(db, { neighbourhoodId: neighbourhood.id }, { from: now, until: new Date(now.getTime() + 14 * 86_400_000), limit: 5 })
	]);
	return {
		status: invite.status,
		code,
		neighbourhood,
		activity,
		hosts,
		upcoming,
		alreadyMember: memberships.includes(neighbourhood.id)
	};
}

/** The welcome of an invite link as this person sees it: a member of its neighbourhood already goes straight on. */
export async function welcomeForMember(db: DataClient, rawCode: string, memberId: string | null): Promise<Welcome> {
	const memberships = memberId ? (await listOwnMemberships(db, memberId)).map((m) => m.neighbourhood_id) : [];
	return welcomeFor(db, rawCode, memberships);
}

/** Whether this person has a member profile already: then joining asks for no name. */
export async function hasMemberProfile(db: DataClient, memberId: string | null) {
	return memberId ? Boolean(await findOwnMember(db, memberId)) : false;
}

export function targetOf(welcome: { neighbourhood: Neighbourhood; activity: ActivitySummary | null }) {
	return welcome.activity ? `/a/${welcome.activity.id}` : `/n/${welcome.neighbourhood.slug}`;
}

export class JoinRefused extends Error {
	constructor(readonly reason: 'invalid_invite' | 'closed' | 'rate_limited', readonly retryAfterSeconds = 0) {
		super(reason);
	}
}

/**
 * Joins through an invite code. A visitor becomes a guest member (a better-auth anonymous
 * user whose session cookie the sign-in call sets on the response); a signed-in member just
 * joins the neighbourhood. Returns the member id.
 */
/** Who joins, and from where: the same for joining by code and right on a page. */
type Joiner = { displayName: string; locale: string; memberId: string | null; clientAddress: string; headers: Headers };

export async function joinWithCode(args: Joiner & { db: DataClient; rawCode: string }): Promise<string> {
	const code = normalizeInviteCode(args.rawCode);
	if (!code) throw new JoinRefused('invalid_invite');
	const codeHash = hashSecret(code);
	const limit = await consume(['joinPerIp', args.clientAddress], ['joinPerCode', codeHash]);
	if (!limit.ok) throw new JoinRefused('rate_limited', limit.retryAfterSeconds);

	// Check before creating anyone, so a dead code leaves no half-made guest behind.
	const invite = await findInviteByHash(args.db, codeHash);
	if (invite?.status !== 'valid') throw new JoinRefused('invalid_invite');

	const { memberId, newGuest } = await memberOrNewGuest(args.memberId, args.headers);
	const joined = await joinWithInvite(serviceDataClient(), {
		codeHash,
		memberId,
		displayName: args.displayName,
		locale: args.locale
	});
	if (!joined) {
		// Revoked in the moment between the check and the join: undo the new guest.
		if (newGuest) await forgetNewGuest(memberId);
		throw new JoinRefused('invalid_invite');
	}
	return memberId;
}

/** Undoes a guest made for a join that was then refused, so nobody is left half-made. */
async function forgetNewGuest(memberId: string) {
	await serviceDataClient().rpc('forget_member', { p_member_id: memberId });
}

/** The signed-in member, or a new guest (a better-auth anonymous user; its cookie goes on the response). */
async function memberOrNewGuest(memberId: string | null, headers: Headers) {
	if (memberId) return { memberId, newGuest: false };
	const signedIn = await auth().api.signInAnonymous({ headers });
	if (!signedIn) throw new Error('anonymous sign-in returned nothing');
	return { memberId: signedIn.user.id, newGuest: true };
}

/**
 * Joins a neighbourhood from one of its public pages, without a code: allowed while the
 * neighbourhood is open for joining (its coordinators can close it), under the same limits per
 * address as invite codes, counted per neighbourhood. Returns the member id.
 */
export async function joinWhereYouAre(args: Joiner & { neighbourhoodId: string }): Promise<string> {
	const limit = await consume(['joinPerIp', args.clientAddress], ['joinOpenPerNeighbourhood', args.neighbourhoodId]);
	if (!limit.ok) throw new JoinRefused('rate_limited', limit.retryAfterSeconds);
	const neighbourhood = await findNeighbourhoodById(serviceDataClient(), args.neighbourhoodId);
	// Check before creating anyone, so a closed neighbourhood leaves no half-made guest behind.
	if (!neighbourhood?.open_for_joining) throw new JoinRefused('closed');
	const { memberId, newGuest } = await memberOrNewGuest(args.memberId, args.headers);
	const joined = await joinOpenly(serviceDataClient(), { neighbourhoodId: args.neighbourhoodId, memberId, displayName: args.displayName, locale: args.locale });
	if (!joined) {
		// Closed in the moment between the check and the join: undo the new guest.
		if (newGuest) await forgetNewGuest(memberId);
		throw new JoinRefused('closed');
	}
	return memberId;
}
