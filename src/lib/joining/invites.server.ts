import { formatInviteCode, generateInviteCode } from './invite-code.ts';
import { hashSecret, seal, unseal } from '../server/auth/sealing.ts';
import { dataApiConfig } from '../server/config.ts';
import { findActivity, hostNames, listHostedActivities } from '../activities/activity-queries.server.ts';
import type { DataClient } from '../server/db/client.ts';
import { listUpcomingGatherings } from '../activities/gathering-queries.server.ts';
import { findManagedInvite, insertInvite, listManagedInvites, revokeInvite, type ManagedInvite } from './invite-queries.server.ts';
import { listOwnMemberships } from '../account/member-queries.server.ts';
import { findNeighbourhoodById, setOpenForJoining } from '../agenda/neighbourhood-queries.server.ts';
import { consume } from '../server/rate-limit.ts';
import { qrSvg } from '../account/account.server.ts';

export interface InviteView {
	id: string;
	/** Null when it can no longer be read (the server's secret changed since); it still works. */
	code: string | null;
	url: string | null;
	label: string;
	target: { neighbourhood: string; activity: string | null };
	createdAt: string;
	expiresAt: string | null;
	status: 'valid' | 'revoked' | 'expired';
	uses: number;
}

async function toView(invite: ManagedInvite, origin: string, now: Date): Promise<InviteView> {
	// Sealed with the server's secret; after that secret changed the code cannot be shown again,
	// though joining with it still works (codes are looked up by their hash).
	const code = await unseal(dataApiConfig().authSecret, invite.code_sealed).catch(() => null);
	return {
		id: invite.id,
		code: code === null ? null : formatInviteCode(code),
		url: code === null ? null : `${origin}/join/${code}`,
		label: invite.label,
		target: { neighbourhood: invite.neighbourhood.name, activity: invite.activity?.title ?? null },
		createdAt: invite.created_at,
		expiresAt: invite.expires_at,
		status: invite.revoked_at ? 'revoked' : invite.expires_at && Date.parse(invite.expires_at) <= now.getTime() ? 'expired' : 'valid',
		uses: invite.use_count
	};
}

/** The invites this member manages, and what they may make invites for. */
export async function invitesOverview(db: DataClient, memberId: string, origin: string) {
	const now = new Date();
	const [invites, memberships, hosted] = await Promise.all([
		listManagedInvites(db),
		listOwnMemberships(db, memberId),
		listHostedActivities(db, memberId)
	]);
	// Form values as inviteFormSchema reads them: `<neighbourhood>` or `<neighbourhood>|<activity>`.
	const targets = [
		...memberships
			.filter((m) => m.role === 'coordinator')
			.map((m) => ({ value: m.neighbourhood_id, label: m.neighbourhood.name, kind: 'neighbourhood' as const })),
		...hosted.map((a) => ({ value: `${a.neighbourhood_id}|${a.id}`, label: a.title, kind: 'activity' as const }))
	];
	const coordinated = memberships.filter((m) => m.role === 'coordinator').map((m) => m.neighbourhood_id);
	const [views, neighbourhoods] = await Promise.all([
		Promise.all(invites.map((i) => toView(i, origin, now))),
		Promise.all(coordinated.map((id) => findNeighbourhoodById(db, id)))
	]);
	// Whether each neighbourhood one coordinates lets visitors join from its public pages.
	const openness = neighbourhoods.flatMap((n) => (n ? [{ id: n.id, name: n.name, open: n.open_for_joining }] : []));
	return { invites: views, targets, openness };
}

/** Opens or closes joining without a code from a neighbourhood's pages; false unless one coordinates it (RLS). */
export function setJoiningOpen(db: DataClient, neighbourhoodId: string, open: boolean) {
	return setOpenForJoining(db, neighbourhoodId, open);
}

export type InviteTarget = { neighbourhoodId: string; activityId: string | null };

/** Makes an invite; RLS lets only coordinators (neighbourhood) and hosts (activity) do so. */
export async function createInvite(
	db: DataClient,
	memberId: string,
	input: InviteTarget & { label: string; validDays: number | null }
): Promise<{ ok: true; id: string } | { ok: false; reason: 'rate_limited' | 'not_allowed' }> {
	const limit = await consume(['invitePerMember', memberId]);
	if (!limit.ok) return { ok: false, reason: 'rate_limited' };
	const code = generateInviteCode();
	try {
		const id = await insertInvite(db, {
			neighbourhood_id: input.neighbourhoodId,
			activity_id: input.activityId,
			code_hash: hashSecret(code),
			code_sealed: await seal(dataApiConfig().authSecret, code),
			label: input.label,
			created_by: memberId,
			expires_at: input.validDays ? new Date(Date.now() + input.validDays * 86_400_000).toISOString() : null
		});
		return { ok: true, id };
	} catch {
		return { ok: false, reason: 'not_allowed' };
	}
}

export { revokeInvite };

/**
 * Everything a printed poster shows: what, when, where, cost, QR code and short URL; or
 * 'unreadable' for an invite whose code can no longer be shown (see toView).
 */
export async function posterFor(db: DataClient, inviteId: string, origin: string) {
	const invite = await findManagedInvite(db, inviteId);
	if (!invite) return null;
	const view = await toView(invite, origin, new Date());
	if (view.url === null || view.code === null) return 'unreadable' as const;
	const neighbourhood = await findNeighbourhoodById(db, invite.neighbourhood_id);
	const activity = invite.activity_id ? await findActivity(db, invite.activity_id) : null;
	const now = new Date();
	const upcoming = activity
		? await listUpcomingGatherings(db, { activityId: activity.id }, { from: now, limit: 3 })
		: neighbourhood
			? await listUpcomingGatherings(db, { neighbourhoodId: neighbourhood.id }, { from: now, until: new Date(now.getTime() + 14 * 86_400_000), limit: 4 })
			: [];
	return {
		invite: { ...view, code: view.code, url: view.url },
		neighbourhood,
		activity,
		hosts: activity ? await hostNames(db, activity.id) : [],
		upcoming,
		qrSvg: await qrSvg(view.url)
	};
}

export async function inviteQrSvg(db: DataClient, inviteId: string, origin: string) {
	const invite = await findManagedInvite(db, inviteId);
	if (!invite) return null;
	const { url } = await toView(invite, origin, new Date());
	return url === null ? ('unreadable' as const) : qrSvg(url);
}
