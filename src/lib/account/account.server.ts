import QRCode from 'qrcode';
import { auth, GUEST_EMAIL_DOMAIN } from '../server/auth/index.ts';
import { hashSecret, newLinkToken } from '../server/auth/sealing.ts';
import { dataApiConfig } from '../server/config.ts';
import { serviceDataClient, type DataClient } from '../server/db/client.ts';
import { findSignIn, findSignInByEmail } from '../server/auth/identity.ts';
import {
	exportMember,
	findOwnMember,
	forgetInactiveGuests,
	forgetMember,
	leaveNeighbourhood,
	listOwnMemberships,
	updateOwnMember,
	type Member
} from './member-queries.server.ts';
import { createReturnLink, findActiveReturnLink, revokeReturnLinks, useReturnLink } from './return-link-queries.server.ts';
import { consume } from '../server/rate-limit.ts';

/** Everything the "me" page shows. */
export async function accountOverview(db: DataClient, memberId: string, currentSessionId: string | null, headers: Headers) {
	const [member, memberships, signIn, returnLink, sessions] = await Promise.all([
		findOwnMember(db, memberId),
		listOwnMemberships(db, memberId),
		findSignIn(memberId),
		findActiveReturnLink(db, memberId),
		auth().api.listSessions({ headers })
	]);
	const email = signIn && !signIn.email.endsWith(`@${GUEST_EMAIL_DOMAIN}`) ? signIn.email : null;
	return {
		member,
		memberships,
		email: email ? { address: email, confirmed: signIn!.email_verified } : null,
		returnLink,
		sessions: sessions
			.map((s) => ({
				id: s.id,
				createdAt: new Date(s.createdAt).toISOString(),
				lastActiveAt: new Date(s.updatedAt).toISOString(),
				device: describeDevice(s.userAgent ?? ''),
				current: s.id === currentSessionId
			}))
			.sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt))
	};
}

/** "Firefox on Android": enough to recognise a device, nothing more. */
export function describeDevice(userAgent: string): { browser: string; system: string } {
	const browser =
		/Edg\//.test(userAgent) ? 'Edge'
		: /Firefox\//.test(userAgent) ? 'Firefox'
		: /SamsungBrowser\//.test(userAgent) ? 'Samsung Internet'
		: /Chrome\//.test(userAgent) ? 'Chrome'
		: /Safari\//.test(userAgent) ? 'Safari'
		: '';
	const system =
		/Android/.test(userAgent) ? 'Android'
		: /iPhone|iPad/.test(userAgent) ? 'iOS'
		: /Windows/.test(userAgent) ? 'Windows'
		: /Mac OS X/.test(userAgent) ? 'macOS'
		: /Linux/.test(userAgent) ? 'Linux'
		: '';
	return { browser, system };
}

/** How the page header names the signed-in member; nothing if their profile cannot be read. */
export async function signedInMember(db: DataClient, memberId: string) {
	const member = await findOwnMember(db, memberId).catch(() => null);
	return member ? { displayName: member.display_name } : null;
}

export function updateProfile(db: DataClient, memberId: string, changes: Partial<Pick<Member, 'display_name' | 'locale'>>) {
	return updateOwnMember(db, memberId, changes);
}

export { leaveNeighbourhood };

export async function endSession(headers: Headers, memberId: string, sessionId: string): Promise<boolean> {
	const sessions = await auth().api.listSessions({ headers });
	const session = sessions.find((s) => s.id === sessionId && s.userId === memberId);
	if (!session) return false;
	await auth().api.revokeSession({ headers, body: { token: session.token } });
	return true;
}

export function signOut(headers: Headers) {
	return auth().api.signOut({ headers });
}

// Return links ----------------------------------------------------------------------------

/** A new personal return link (the old one stops working), with its QR code. Shown once. */
export async function makeReturnLink(memberId: string, origin: string) {
	const token = newLinkToken();
	await createReturnLink(serviceDataClient(), memberId, hashSecret(token));
	const url = `${origin}/r/${token}`;
	return { url, qrSvg: await qrSvg(url) };
}

export function stopReturnLinks(db: DataClient, memberId: string) {
	return revokeReturnLinks(db, memberId);
}

export class SignInRefused extends Error {
	constructor(readonly reason: 'invalid_link' | 'rate_limited', readonly retryAfterSeconds = 0) {
		super(reason);
	}
}

/** Signs in on this device with a return link; returns the member's language. */
export async function signInWithReturnLink(token: string, clientAddress: string, headers: Headers) {
	const limit = await consume(['returnLinkPerIp', clientAddress]);
	if (!limit.ok) throw new SignInRefused('rate_limited', limit.retryAfterSeconds);
	if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new SignInRefused('invalid_link');
	const memberId = await useReturnLink(serviceDataClient(), hashSecret(token));
	if (!memberId) throw new SignInRefused('invalid_link');
	await auth().api.startMemberSession({ body: { memberId }, headers });
	const member = await findOwnMember(serviceDataClient(), memberId);
	return { memberId, locale: member?.locale ?? 'nl' };
}

// E-mail and magic links -----------------------------------------------------------------

/**
 * Adds (or replaces) the member's e-mail address, unconfirmed, and sends a confirmation link.
 * An address someone else confirmed is refused; one merely claimed by someone else is
 * released, since an unconfirmed claim proves nothing.
 */
export async function addEmail(memberId: string, email: string, headers: Headers, clientAddress: string) {
	const limit = await consume(['magicLinkPerIp', clientAddress], ['magicLinkPerEmail', email.toLowerCase()]);
	if (!limit.ok) return { ok: false as const, reason: 'rate_limited' as const };
	const holder = await findSignInByEmail(email);
	if (holder && holder.id !== memberId && holder.email_verified) return { ok: false as const, reason: 'taken' as const };
	const context = await auth().$context;
	if (holder && holder.id !== memberId) {
		await context.internalAdapter.updateUser(holder.id, { email: `temp-${holder.id}@${GUEST_EMAIL_DOMAIN}`, emailVerified: false });
	}
	await context.internalAdapter.updateUser(memberId, { email, emailVerified: false });
	await auth().api.sendVerificationEmail({ body: { email, callbackURL: '/me?email=confirmed' }, headers });
	return { ok: true as const };
}

/**
 * Sends a sign-in link to a confirmed address. Answers the same whether or not the address
 * is known, so nobody can find out who uses Buurtbord.
 */
export async function requestMagicLink(email: string, headers: Headers, clientAddress: string) {
	const limit = await consume(['magicLinkPerIp', clientAddress], ['magicLinkPerEmail', email.toLowerCase()]);
	if (!limit.ok) return { ok: false as const, reason: 'rate_limited' as const };
	const holder = await findSignInByEmail(email);
	if (holder?.email_verified) {
		await auth().api.signInMagicLink({ body: { email: holder.email, callbackURL: '/' }, headers });
	}
	return { ok: true as const };
}

// Your data --------------------------------------------------------------------------------

export function exportAccount(memberId: string) {
	return exportMember(serviceDataClient(), memberId);
}

/** Deletes the account and its personal data, and ends this session. */
export async function deleteAccount(memberId: string, headers: Headers) {
	// Their places, slots and help on dates to come are given up and the waitlists move up (the
	// open boards of those dates hear of it from the database).
	await forgetMember(serviceDataClient(), memberId);
	// The session row went with the account; this clears the cookie.
	await auth().api.signOut({ headers }).catch(() => undefined);
}

/** Forgets guests not seen for GUEST_RETENTION_DAYS; returns how many. */
export function cleanUpInactiveGuests(now = new Date()) {
	const days = dataApiConfig().guestRetentionDays;
	return forgetInactiveGuests(serviceDataClient(), new Date(now.getTime() - days * 86_400_000));
}

export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
