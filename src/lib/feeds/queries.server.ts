import { z } from 'zod';
import {
	feedActivityColumns,
	feedActivitySchema,
	feedGatheringColumns,
	feedGatheringSchema,
	type FeedActivity,
	type FeedGathering,
	type PersonalRole
} from './feeds.ts';
import { DATA_API_MAX_ROWS, unwrap, type DataClient } from '../server/db/client.ts';

/** At most this many gatherings in one feed (a big neighbourhood has ~3,000 in its window). */
const FEED_LIMIT = 6000;

const fingerprintSchema = z.object({ fingerprint: z.string(), last_modified: z.string().nullable(), gatherings: z.number().int() });
export type FeedFingerprint = z.infer<typeof fingerprintSchema>;

/** A cheap fingerprint of a public feed: changes whenever anything the feed shows changes. */
export async function feedFingerprint(
	db: DataClient,
	of: { activityId: string } | { neighbourhoodId: string },
	from: Date
): Promise<FeedFingerprint> {
	const rows = unwrap(
		'feedFingerprint',
		await db.rpc('feed_fingerprint', {
			p_activity: 'activityId' in of ? of.activityId : null,
			p_neighbourhood: 'neighbourhoodId' in of ? of.neighbourhoodId : null,
			p_from: from.toISOString()
		})
	);
	return fingerprintSchema.parse((rows as unknown[])[0]);
}

const gatheringWithActivitySchema = feedGatheringSchema.extend({ activity: feedActivitySchema });
const gatheringWithActivityColumns = `${feedGatheringColumns}, activity:activity!inner(${feedActivityColumns}, neighbourhood_id)`;

/** The gatherings of a feed that end after `from`, each with its activity, soonest first. */
export async function listFeedGatherings(
	db: DataClient,
	of: { activityId: string } | { neighbourhoodId: string } | { gatheringIds: string[] },
	from: Date | null
): Promise<{ gathering: FeedGathering; activity: FeedActivity }[]> {
	const page = (offset: number) => {
		let query = db.from('gathering').select(gatheringWithActivityColumns);
		if ('activityId' in of) query = query.eq('activity_id', of.activityId);
		else if ('neighbourhoodId' in of) query = query.eq('activity.neighbourhood_id', of.neighbourhoodId);
		else query = query.in('id', of.gatheringIds);
		if (from) query = query.gte('ends_at', from.toISOString());
		return query.order('starts_at').order('id').range(offset, Math.min(offset + DATA_API_MAX_ROWS, FEED_LIMIT) - 1);
	};
	// The Data API answers at most DATA_API_MAX_ROWS rows (Supabase's `max_rows`): page through.
	const rows: unknown[] = [];
	for (let offset = 0; offset < FEED_LIMIT; offset += DATA_API_MAX_ROWS) {
		const found = unwrap('listFeedGatherings', await page(offset)) as unknown[];
		rows.push(...found);
		if (found.length < DATA_API_MAX_ROWS) break;
	}
	return z
		.array(gatheringWithActivitySchema)
		.parse(rows)
		.map(({ activity, ...gathering }) => ({ gathering, activity }));
}

const myCalendarSchema = z.array(
	z.object({
		gathering_id: z.uuid(),
		roles: z.array(z.enum(['going', 'waitlist', 'host', 'helping'])),
		helps_with: z.array(z.string())
	})
);

/** What the member behind `db` takes part in from `from` on (runs as them, under RLS). */
export async function listMyCalendar(db: DataClient, from: Date): Promise<{ gatheringId: string; roles: PersonalRole[]; helpsWith: string[] }[]> {
	const rows = unwrap('listMyCalendar', await db.rpc('my_calendar', { p_from: from.toISOString() }));
	return myCalendarSchema.parse(rows).map((r) => ({ gatheringId: r.gathering_id, roles: r.roles, helpsWith: r.helps_with }));
}

// Personal feed tokens -----------------------------------------------------------------------

const tokenInfoSchema = z.object({ id: z.uuid(), token_sealed: z.string(), created_at: z.string(), last_used_at: z.string().nullable() });
export type FeedTokenInfo = z.infer<typeof tokenInfoSchema>;

/** The member's working feed token: its dates and sealed copy, never its hash. */
export async function findActiveFeedToken(db: DataClient, memberId: string): Promise<FeedTokenInfo | null> {
	const row = unwrap(
		'findActiveFeedToken',
		await db
			.from('calendar_feed_token')
			.select('id, token_sealed, created_at, last_used_at')
			.eq('member_id', memberId)
			.is('revoked_at', null)
			.maybeSingle()
	);
	return row ? tokenInfoSchema.parse(row) : null;
}

/** Replaces the member's feed token (service role, after the server checked who asks). */
export async function createFeedToken(service: DataClient, memberId: string, tokenHash: string, tokenSealed: string): Promise<void> {
	unwrap(
		'createFeedToken',
		await service.rpc('create_feed_token', { p_member_id: memberId, p_token_hash: tokenHash, p_token_sealed: tokenSealed })
	);
}

/** Switches the member's feed off (as the member). */
export async function revokeFeedTokens(db: DataClient, memberId: string): Promise<number> {
	const rows = unwrap(
		'revokeFeedTokens',
		await db
			.from('calendar_feed_token')
			.update({ revoked_at: new Date().toISOString() })
			.eq('member_id', memberId)
			.is('revoked_at', null)
			.select('id')
	);
	return (rows as unknown[]).length;
}

const personalStateSchema = z.object({ member_id: z.uuid(), locale: z.enum(['nl', 'en']), fingerprint: z.string() });
export type PersonalFeedState = z.infer<typeof personalStateSchema>;

/** The member behind a working token and the fingerprint of their feed (service role), or null. */
export async function personalFeedState(service: DataClient, tokenHash: string, from: Date): Promise<PersonalFeedState | null> {
	const rows = unwrap('personalFeedState', await service.rpc('personal_feed_state', { p_token_hash: tokenHash, p_from: from.toISOString() }));
	const first = (rows as unknown[])[0];
	return first ? personalStateSchema.parse(first) : null;
}
