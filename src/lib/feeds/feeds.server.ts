import { buildCalendar, FEED_PAST_DAYS, feedEtag, notModified, type FeedActivity, type FeedEntry, type FeedText } from './feeds.ts';
import { feedPaths, feedUrl, type FeedLocale } from './feed-links.ts';
import { formatPrice } from '../ui/format.ts';
import { m } from '../paraglide/messages.js';
import { hashSecret, newLinkToken, seal, unseal } from '../server/auth/sealing.ts';
import { dataApiConfig } from '../server/config.ts';
import { anonDataClient, memberDataClient, serviceDataClient, type DataClient } from '../server/db/client.ts';
import {
	createFeedToken,
	feedFingerprint,
	findActiveFeedToken,
	listFeedGatherings,
	listMyCalendar,
	personalFeedState,
	revokeFeedTokens
} from './queries.server.ts';
import { findNeighbourhoodBySlug } from '../agenda/neighbourhood-queries.server.ts';
import { findActivity } from '../activities/activity-queries.server.ts';

/**
 * Calendar feeds as HTTP answers. Calendar apps poll forever, so each feed is built once and
 * kept with its ETag: a public feed is answered from memory for FRESH_MS, then checked against
 * a fingerprint from the database (one small query) and only built again if that changed.
 * Personal feeds check their token on every request, so a replaced token stops at once.
 */
const FRESH_MS = 30_000;
const MAX_CACHED = 2000;

export interface Conditional {
	ifNoneMatch: string | null;
	ifModifiedSince: string | null;
}

export type FeedAnswer =
	| { status: 200; body: string; etag: string; lastModified: Date; filename: string }
	| { status: 304; etag: string; lastModified: Date };

interface Cached {
	fingerprint: string;
	body: string;
	etag: string;
	lastModified: Date;
	checkedAt: number;
	filename: string;
}
const cache = new Map<string, Cached>();
/** Finished events, shared by all feeds: a change rebuilds only the events it touches. */
const events = new Map<string, string>();
const eventCache = (locale: FeedLocale, origin: string) => ({ map: events, scope: `${locale}|${origin}` });
/** How often a feed was built (not served): tests and the benchmark read this. */
export const feedStats = { built: 0 };

function remember(key: string, entry: Cached) {
	if (cache.size >= MAX_CACHED && !cache.has(key)) cache.delete(cache.keys().next().value!);
	cache.set(key, entry);
}

function answer(entry: Cached, conditional: Conditional): FeedAnswer {
	return notModified(conditional, entry.etag, entry.lastModified)
		? { status: 304, etag: entry.etag, lastModified: entry.lastModified }
		: { status: 200, body: entry.body, etag: entry.etag, lastModified: entry.lastModified, filename: entry.filename };
}

/** The start of a subscription feed's window: whole days, so the fingerprint holds all day. */
export function windowStart(now: Date): Date {
	const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	return new Date(day - FEED_PAST_DAYS * 86_400_000);
}

/**
 * Serves a cached feed or builds it: `fingerprint` is asked only when the cached copy is older
 * than `freshMs`; `build` only when the fingerprint changed.
 */
async function serve(
	key: string,
	conditional: Conditional,
	options: {
		freshMs: number;
		now: number;
		fingerprint: () => Promise<{ value: string; lastModified: Date } | null>;
		build: () => Promise<{ body: string; filename: string } | null>;
	}
): Promise<FeedAnswer | null> {
	const cached = cache.get(key);
	if (cached && options.now - cached.checkedAt < options.freshMs) return answer(cached, conditional);
	const fingerprint = await options.fingerprint();
	if (!fingerprint) return null;
	if (cached && cached.fingerprint === fingerprint.value) {
		cached.checkedAt = options.now;
		return answer(cached, conditional);
	}
	const built = await options.build();
	if (!built) return null;
	feedStats.built++;
	const etag = feedEtag(built.body);
	// A removed date leaves no newer row behind, so a changed feed is at least as new as now.
	const lastModified = cached && cached.etag !== etag ? new Date(Math.max(options.now, fingerprint.lastModified.getTime())) : fingerprint.lastModified;
	const entry: Cached = { fingerprint: fingerprint.value, body: built.body, etag, lastModified, checkedAt: options.now, filename: built.filename };
	remember(key, entry);
	return answer(entry, conditional);
}

// Words ----------------------------------------------------------------------------------

export function feedText(locale: FeedLocale): FeedText {
	const o = { locale };
	const cost = (a: FeedActivity) => {
		const base =
			a.cost_kind === 'free' ? m.cost_free({}, o) : a.cost_kind === 'pay_what_you_can' ? m.cost_pay_what_you_can({}, o) : formatPrice(a.price_cents ?? 0, locale);
		return m.feed_cost({ cost: a.meal_included ? `${base}, ${m.cost_meal_included({}, o)}` : base }, o);
	};
	return {
		cancelled: m.feed_cancelled({}, o),
		waitlist: m.feed_waitlist({}, o),
		reason: (reason) => m.feed_reason({ reason }, o),
		cost,
		whatToBring: (what) => m.feed_what_to_bring({ what }, o),
		boardLink: (url) => m.feed_board_link({ url }, o),
		role: (roles, helpsWith) =>
			[
				roles.includes('host') ? m.feed_role_host({}, o) : null,
				roles.includes('going') ? m.feed_role_going({}, o) : null,
				roles.includes('waitlist') ? m.feed_role_waitlist({}, o) : null,
				roles.includes('helping') && helpsWith.length ? m.feed_role_helping({ what: helpsWith.join(', ') }, o) : null
			]
				.filter(Boolean)
				.join(' ')
	};
}

// Public feeds ---------------------------------------------------------------------------
// Read as a visitor (anon), whoever asks: a public feed never holds more than a visitor sees,
// and one cached copy serves everyone.

export async function activityFeed(activityId: string, o: { origin: string; locale: FeedLocale; conditional: Conditional; now?: Date }) {
	const now = o.now ?? new Date();
	const from = windowStart(now);
	const db = anonDataClient();
	return serve(`activity:${activityId}:${o.locale}:${o.origin}:${from.toISOString()}`, o.conditional, {
		freshMs: FRESH_MS,
		now: now.getTime(),
		fingerprint: async () => {
			const f = await feedFingerprint(db, { activityId }, from);
			// An activity without gatherings in the window may not exist at all.
			if (f.gatherings === 0 && !(await findActivity(db, activityId))) return null;
			return { value: f.fingerprint, lastModified: new Date(f.last_modified ?? 0) };
		},
		build: async () => {
			const activity = await findActivity(db, activityId);
			if (!activity) return null;
			const entries = await listFeedGatherings(db, { activityId }, from);
			const name = m.feed_activity_calendar_name({ title: activity.title }, { locale: o.locale });
			const body = buildCalendar(entries, { name, origin: o.origin, text: feedText(o.locale), eventCache: eventCache(o.locale, o.origin) });
			return { body, filename: 'activity.ics' };
		}
	});
}

export async function neighbourhoodFeed(slug: string, o: { origin: string; locale: FeedLocale; conditional: Conditional; now?: Date }) {
	const now = o.now ?? new Date();
	const from = windowStart(now);
	const db = anonDataClient();
	let neighbourhood: Awaited<ReturnType<typeof findNeighbourhoodBySlug>> = null;
	return serve(`neighbourhood:${slug}:${o.locale}:${o.origin}:${from.toISOString()}`, o.conditional, {
		freshMs: FRESH_MS,
		now: now.getTime(),
		fingerprint: async () => {
			neighbourhood = await findNeighbourhoodBySlug(db, slug);
			if (!neighbourhood) return null;
			const f = await feedFingerprint(db, { neighbourhoodId: neighbourhood.id }, from);
			return { value: f.fingerprint, lastModified: new Date(f.last_modified ?? 0) };
		},
		build: async () => {
			if (!neighbourhood) return null;
			const entries = await listFeedGatherings(db, { neighbourhoodId: neighbourhood.id }, from);
			const name = m.feed_neighbourhood_calendar_name({ name: neighbourhood.name }, { locale: o.locale });
			const body = buildCalendar(entries, { name, origin: o.origin, text: feedText(o.locale), eventCache: eventCache(o.locale, o.origin) });
			return { body, filename: `${slug}.ics` };
		}
	});
}

/** One gathering as a file to open ("add to my calendar"), with the same UID as in the feeds. */
export async function gatheringFile(gatheringId: string, o: { origin: string; locale: FeedLocale; conditional: Conditional }) {
	const entries = await listFeedGatherings(anonDataClient(), { gatheringIds: [gatheringId] }, null);
	const entry = entries[0];
	if (!entry) return null;
	const body = buildCalendar(entries, { name: entry.activity.title, origin: o.origin, text: feedText(o.locale) });
	const lastModified = new Date(Math.max(Date.parse(entry.gathering.updated_at), Date.parse(entry.activity.updated_at)));
	return answer({ fingerprint: '', body, etag: feedEtag(body), lastModified, checkedAt: 0, filename: 'buurtbord.ics' }, o.conditional);
}

// Personal feed ---------------------------------------------------------------------------

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The feed of the member behind `token`, in their language; null if the token does not work. */
export async function personalFeed(token: string, o: { origin: string; conditional: Conditional; now?: Date }) {
	if (!TOKEN_PATTERN.test(token)) return null;
	const now = o.now ?? new Date();
	const from = windowStart(now);
	const hash = hashSecret(token);
	let state: Awaited<ReturnType<typeof personalFeedState>> = null;
	return serve(`personal:${hash}:${o.origin}:${from.toISOString()}`, o.conditional, {
		freshMs: 0,
		now: now.getTime(),
		fingerprint: async () => {
			state = await personalFeedState(serviceDataClient(), hash, from);
			return state ? { value: state.fingerprint, lastModified: now } : null;
		},
		build: async () => {
			if (!state) return null;
			// The member's own view, under row-level security: only what they may see.
			const db = await memberDataClient(state.member_id);
			const mine = await listMyCalendar(db, from);
			const byId = new Map(mine.map((x) => [x.gatheringId, x]));
			const rows = mine.length ? await listFeedGatherings(db, { gatheringIds: mine.map((x) => x.gatheringId) }, null) : [];
			const entries: FeedEntry[] = rows.map((r) => ({ ...r, roles: byId.get(r.gathering.id)!.roles, helpsWith: byId.get(r.gathering.id)!.helpsWith }));
			const locale = state.locale;
			const body = buildCalendar(entries, {
				name: m.feed_personal_calendar_name({}, { locale }),
				description: m.feed_personal_description({}, { locale }),
				origin: o.origin,
				text: feedText(locale),
				eventCache: eventCache(locale, o.origin)
			});
			return { body, filename: 'buurtbord.ics' };
		}
	});
}

/**
 * The member's personal feed link (unsealed from the database), or null if they have none. Its
 * url is null when it can no longer be read (the server's secret changed since); the link
 * still works, as feeds are looked up by the token's hash, and a new one can be made.
 */
export async function personalFeedLink(db: DataClient, memberId: string, origin: string) {
	const token = await findActiveFeedToken(db, memberId);
	if (!token) return null;
	const secret = await unseal(dataApiConfig().authSecret, token.token_sealed).catch(() => null);
	return { url: secret === null ? null : feedUrl(origin, feedPaths.personal(secret)), createdAt: token.created_at };
}

/** Makes a new personal feed link; the old one stops working at once. */
export async function makePersonalFeedLink(memberId: string) {
	const token = newLinkToken();
	await createFeedToken(serviceDataClient(), memberId, hashSecret(token), await seal(dataApiConfig().authSecret, token));
	return token;
}

export function stopPersonalFeedLink(db: DataClient, memberId: string) {
	return revokeFeedTokens(db, memberId);
}
