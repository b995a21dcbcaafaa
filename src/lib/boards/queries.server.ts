import { z } from 'zod';
import { attendanceStatuses, boardSummarySchema, type AttendanceStatus, type BoardSummary } from './board.ts';
import { boardHelpSchema } from '../help/schemas.ts';
import { offerKinds } from '../offers/offer-vocabulary.ts';
import { refusalOf as refusalOfRules, type BoardRefusal } from '../forms/refusals.ts';
import { DataError, unwrap, type DataClient } from '../server/db/client.ts';

const helpKindSchema = boardHelpSchema.shape.counts.element.shape.kind;
/** board_audience_views: what each audience adds to what the one before it sees. */
const audiencePartsSchema = z.discriminatedUnion('found', [
	z.object({ found: z.literal(false) }),
	z.object({
		found: z.literal(true),
		public: z.object({
			gathering: z.object({
				id: z.uuid(),
				status: z.enum(['scheduled', 'cancelled']),
				cancellation_reason: z.string().nullable(),
				starts_at: z.string(),
				ends_at: z.string(),
				place_name: z.string().nullable(),
				place_address: z.string().nullable(),
				sequence: z.number().int()
			}),
			summary: boardSummarySchema,
			help_counts: boardHelpSchema.shape.counts,
			needs: z.array(
				z.object({
					id: z.uuid(),
					kind: z.enum(offerKinds),
					title: z.string(),
					quantity: z.number().int(),
					pledged: z.number().int(),
					pledge_answers: z.number().int(),
					slot_id: z.uuid().nullable(),
					date: z.string().nullable()
				})
			)
		}),
		board: z.object({
			people: z.array(
				z.object({
					key: z.string(),
					sort: z.string(),
					member_id: z.uuid().nullable(),
					name: z.string().nullable(),
					status: z.enum(attendanceStatuses),
					guests: z.number().int(),
					brought: z.array(z.object({ id: z.uuid(), name: z.string() })),
					promoted: z.boolean(),
					demoted: z.boolean()
				})
			),
			pledges: z.array(z.object({ key: z.string(), sort: z.string(), slot_id: z.uuid(), member_id: z.uuid().nullable(), name: z.string().nullable(), quantity: z.number().int() }))
		}),
		runners: z.object({
			needs_waiting: z.array(z.object({ id: z.uuid(), waiting: z.number().int() })),
			first_timers: z.array(z.string()),
			help: z.object({
				asks: z.array(
					z.object({
						member_id: z.uuid(),
						kind: helpKindSchema,
						people: z.number().int(),
						note: z.string(),
						name: z.string(),
						helper_id: z.uuid().nullable(),
						helper: z.string().nullable(),
						helper_note: z.string().nullable()
					})
				),
				offers: z.array(z.object({ member_id: z.uuid(), kind: helpKindSchema, places: z.number().int(), used: z.number().int(), note: z.string(), name: z.string() }))
			})
		}),
		board_members: z.array(z.uuid()),
		runner_members: z.array(z.uuid())
	})
]);
export type BoardAudienceParts = Extract<z.infer<typeof audiencePartsSchema>, { found: true }>;

/**
 * What each audience of a board may see, computed once for all its viewers
 * (board_audience_views), and who is on the board and who runs it. Service role only;
 * null for a gathering that is gone.
 */
export async function boardAudienceViews(service: DataClient, gatheringId: string): Promise<BoardAudienceParts | null> {
	const parsed = audiencePartsSchema.parse(unwrap('boardAudienceViews', await service.rpc('board_audience_views', { p_gathering: gatheringId })));
	return parsed.found ? parsed : null;
}

export async function boardSummary(db: DataClient, gatheringId: string): Promise<BoardSummary> {
	return boardSummarySchema.parse(unwrap('boardSummary', await db.rpc('board_summary', { p_gathering: gatheringId })));
}

/** Opens held places whose time has come; the gatherings where someone moved up. Service role only. */
export async function releaseFirstTimerPlaces(service: DataClient): Promise<string[]> {
	return z.array(z.uuid()).parse(unwrap('releaseFirstTimerPlaces', await service.rpc('release_first_timer_places')) ?? []);
}

export type Refusal = BoardRefusal;

const refusalOf = (error: { code?: string; hint?: string }) => refusalOfRules(error, 'board');

/**
 * A board's SQL function answered: its data, or the refusal its rules said no with; anything
 * else is the database or the Data API failing (an outage, not a refusal).
 */
async function boardRule(
	name: string,
	call: PromiseLike<{ data: unknown; error: { code?: string; hint?: string; message: string } | null }>
): Promise<{ ok: true; data: unknown } | { ok: false; refusal: Refusal }> {
	const { data, error } = await call;
	if (!error) return { ok: true, data };
	const refusal = refusalOf(error);
	if (refusal) return { ok: false, refusal };
	throw new DataError(name, error.code, error.message);
}

/** "I'm coming", "maybe", "can't come" (respond decides going or waitlist). */
export async function respond(
	db: DataClient,
	gatheringId: string,
	status: Exclude<AttendanceStatus, 'waitlist'>,
	guests: number
): Promise<{ ok: true; status: AttendanceStatus } | { ok: false; refusal: Refusal }> {
	const answer = await boardRule('respond', db.rpc('respond', { p_gathering: gatheringId, p_status: status, p_guests: guests }));
	if (!answer.ok) return answer;
	return { ok: true, status: z.object({ status: z.enum(['going', 'waitlist', 'maybe', 'not_going']) }).parse(answer.data).status };
}

/** Takes part of a slot (0 gives it back); refuses plainly when not enough is left. */
export async function pledgeToSlot(
	db: DataClient,
	slotId: string,
	quantity: number
): Promise<{ ok: true; left: number } | { ok: false; refusal: Refusal; left?: number }> {
	const { data, error } = await db.rpc('pledge_to_slot', { p_slot: slotId, p_quantity: quantity });
	if (error) {
		const refusal = refusalOf(error);
		if (refusal) return { ok: false, refusal, left: error.details ? Number(error.details) : undefined };
		throw new DataError('pledgeToSlot', error.code, error.message);
	}
	return { ok: true, left: z.object({ left: z.number() }).parse(data).left };
}

/**
 * Puts someone without a phone on the board under a first name, as one of one's guests
 * (bring_along): refused plainly when one is not coming, has brought as many as allowed, or the
 * board is full.
 */
export async function bringAlong(db: DataClient, gatheringId: string, firstName: string): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const answer = await boardRule('bringAlong', db.rpc('bring_along', { p_gathering: gatheringId, p_first_name: firstName }));
	return answer.ok ? { ok: true } : answer;
}

/** Takes someone brought along off the board (the one who brought them, or those who run it). */
export async function takeOffBrought(db: DataClient, personId: string): Promise<{ ok: true } | { ok: false; refusal: Refusal }> {
	const answer = await boardRule('takeOffBrought', db.rpc('take_off_brought', { p_person: personId }));
	return answer.ok ? { ok: true } : answer;
}

/** Those who run it tick at the door that someone brought along came; false if this person may not. */
export async function markBroughtArrival(db: DataClient, personId: string, came: boolean): Promise<boolean> {
	const { error } = await db.rpc('mark_brought_arrival', { p_person: personId, p_came: came });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('markBroughtArrival', error.code, error.message);
	return true;
}

const broughtSchema = z.object({ id: z.uuid(), first_name: z.string(), came: z.boolean().nullable(), created_at: z.string() });

const personSchema = z.object({
	member_id: z.uuid().nullable(),
	status: z.enum(['going', 'waitlist', 'maybe', 'not_going']),
	guests: z.number().int(),
	waitlist_position: z.number().nullable(),
	first_time: z.boolean(),
	promoted_at: z.string().nullable(),
	demoted_at: z.string().nullable(),
	came: z.boolean().nullable(),
	member: z.object({ display_name: z.string() }).nullable(),
	/** The people they brought along (bring_along), first brought first. */
	brought_person: z.array(broughtSchema).transform((people) => people.sort((a, b) => a.created_at.localeCompare(b.created_at)))
});
export type BoardPerson = z.infer<typeof personSchema>;

/** The people on a board (not those who said they can't come), and `alsoMe`'s own answer whatever it is. */
export async function listBoardPeople(db: DataClient, gatheringId: string, alsoMe: string | null = null): Promise<BoardPerson[]> {
	const on = db
		.from('attendance')
		.select('member_id, status, guests, waitlist_position, first_time, promoted_at, demoted_at, came, member(display_name), brought_person(id, first_name, came, created_at)')
		.eq('gathering_id', gatheringId);
	const result = await (alsoMe ? on.or(`status.neq.not_going,member_id.eq.${z.uuid().parse(alsoMe)}`) : on.neq('status', 'not_going'))
		.order('going_since', { ascending: true, nullsFirst: false })
		.order('waitlist_position', { ascending: true });
	// Visitors have no access to attendance at all: they see counts only.
	if (result.error?.code === '42501') return [];
	return z.array(personSchema).parse(unwrap('listBoardPeople', result));
}

const pledgeSchema = z.object({
	id: z.uuid(),
	thanks: z.string().nullable(),
	slot_id: z.uuid(),
	member_id: z.uuid().nullable(),
	quantity: z.number().int(),
	member: z.object({ display_name: z.string() }).nullable()
});
export type Pledge = z.infer<typeof pledgeSchema>;

export async function listPledges(db: DataClient, slotIds: string[]): Promise<Pledge[]> {
	if (slotIds.length === 0) return [];
	const result = await db.from('slot_pledge').select('id, thanks, slot_id, member_id, quantity, member(display_name)').in('slot_id', slotIds);
	if (result.error?.code === '42501') return [];
	return z.array(pledgeSchema).parse(unwrap('listPledges', result));
}

export async function leaveFeedback(db: DataClient, gatheringId: string, rating: number, comment: string): Promise<boolean> {
	const { error } = await db.rpc('leave_feedback', { p_gathering: gatheringId, p_rating: rating, p_comment: comment });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('leaveFeedback', error.code, error.message);
	return true;
}

const feedbackSchema = z.object({ rating: z.number().int(), comment: z.string(), mine: z.boolean() });

/** Feedback on a gathering: all of it for those who run it, their own answer for others. */
export async function listFeedback(db: DataClient, gatheringId: string, memberId: string | null) {
	const rows = unwrap('listFeedback', await db.from('gathering_feedback').select('rating, comment, member_id').eq('gathering_id', gatheringId));
	return z
		.array(feedbackSchema)
		.parse((rows as { rating: number; comment: string; member_id: string | null }[]).map((r) => ({ rating: r.rating, comment: r.comment, mine: r.member_id === memberId })));
}

export async function markArrival(db: DataClient, gatheringId: string, memberId: string, came: boolean): Promise<boolean> {
	const { error } = await db.rpc('mark_arrival', { p_gathering: gatheringId, p_member: memberId, p_came: came });
	if (error?.code === '42501') return false;
	// Anything else is the database or the Data API failing: an outage, not a refusal.
	if (error) throw new DataError('markArrival', error.code, error.message);
	return true;
}

/** "I come every week": on signs the member up for every upcoming date they have not answered. */
export async function setStandingSignup(db: DataClient, activityId: string, on: boolean, guests = 0): Promise<boolean> {
	const { error } = await db.rpc('set_standing_signup', { p_activity: activityId, p_on: on, p_guests: guests });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('setStandingSignup', error.code, error.message);
	return true;
}

export async function hasStandingSignup(db: DataClient, activityId: string, memberId: string): Promise<boolean> {
	const result = await db.from('standing_signup').select('member_id').eq('activity_id', activityId).eq('member_id', memberId);
	if (result.error) throw new DataError('hasStandingSignup', result.error.code, result.error.message);
	return (result.data ?? []).length === 1;
}

/** Those who run the activity thank a helper; false if this person may not. */
export async function thankForHelp(db: DataClient, pledgeId: string, thanks: string): Promise<boolean> {
	const { error } = await db.rpc('thank_for_help', { p_pledge: pledgeId, p_thanks: thanks });
	if (error?.code === '42501') return false;
	if (error) throw new DataError('thankForHelp', error.code, error.message);
	return true;
}

const contributionSchema = z.object({
	label: z.string(),
	kind: z.enum(['role', 'item']),
	times: z.number().int(),
	quantity: z.number().int(),
	last_thanks: z.string().nullable()
});

/** What the signed-in member did or brought at past gatherings ("you cooked 4 times"). */
export async function myGatheringContributions(db: DataClient) {
	return z.array(contributionSchema).parse(unwrap('myGatheringContributions', await db.rpc('my_gathering_contributions')));
}

/** Practical help on a board as the person behind `db` may see it (board_help). */

const planSchema = z.object({
	gathering_id: z.uuid(),
	status: z.enum(['going', 'waitlist', 'maybe']).nullable(),
	guests: z.number().int(),
	waitlist_place: z.number().int().nullable(),
	roles: z.array(z.string()),
	help_asked: z.array(helpKindSchema),
	help_offered: z.array(helpKindSchema)
});
/** One date in a member's own plans (my_plans): their answer, roles and help. */
export type MyPlan = z.infer<typeof planSchema>;

/** The signed-in member's plans for dates that have not ended by `from`, soonest first. */
export async function listMyPlans(db: DataClient, from: Date): Promise<MyPlan[]> {
	return z.array(planSchema).parse(unwrap('listMyPlans', await db.rpc('my_plans', { p_from: from.toISOString() })));
}

/** Places left on each of these dates that has a capacity (places_left). */
export async function listPlacesLeft(db: DataClient, gatheringIds: string[]): Promise<Map<string, number>> {
	if (gatheringIds.length === 0) return new Map();
	const rows = z
		.array(z.object({ gathering_id: z.uuid(), places_left: z.number().int() }))
		.parse(unwrap('listPlacesLeft', await db.rpc('places_left', { p_gatherings: gatheringIds })));
	return new Map(rows.map((row) => [row.gathering_id, row.places_left]));
}
