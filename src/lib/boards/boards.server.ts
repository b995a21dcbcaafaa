import type { BoardView } from './board.ts';
import { topic } from '../realtime/events.ts';
import { anonDataClient, type DataClient } from '../server/db/client.ts';
import * as queries from './queries.server.ts';
import * as helpQueries from '../help/queries.server.ts';
import { boardSummary, listBoardPeople, listPledges, releaseFirstTimerPlaces } from './queries.server.ts';
import { listUpcomingGatherings } from '../activities/gathering-queries.server.ts';
import { publish } from '../realtime/attach.server.ts';
import { log } from '../server/log.ts';
import { announcer } from '../realtime/announcer.server.ts';

/**
 * The board of a gathering as this person may see it: counts and slots for everyone; names,
 * guests and who brings what for the people on it and those who run it; the first-time mark
 * for those who run it only.
 */
export async function boardFor(
	db: DataClient,
	gatheringId: string,
	memberId: string | null,
	options: { runsIt: boolean } = { runsIt: false }
): Promise<BoardView> {
	const summary = await boardSummary(db, gatheringId);
	const [people, pledges, help] = await Promise.all([
		memberId ? listBoardPeople(db, gatheringId) : [],
		memberId ? listPledges(db, summary.slots.map((s) => s.id)) : [],
		helpQueries.boardHelp(db, gatheringId)
	]);
	const mine = people.find((p) => p.member_id === memberId) ?? null;
	return {
		summary,
		people: people.map((p) => ({
			name: p.member?.display_name ?? null,
			status: p.status,
			guests: p.guests,
			// A quiet cue for hosts to welcome someone; nobody else is shown it.
			firstTime: options.runsIt && p.first_time,
			me: p.member_id === memberId
		})),
		pledges: pledges.map((p) => ({ slotId: p.slot_id, name: p.member?.display_name ?? null, quantity: p.quantity, me: p.member_id === memberId })),
		mine: mine ? { status: mine.status, guests: mine.guests, promoted: Boolean(mine.promoted_at), demoted: Boolean(mine.demoted_at) } : null,
		help
	};
}

/**
 * After a change has committed, every open copy of the board hears of it: the public summary
 * travels with the event; names are fetched again by each page under its own rules. The
 * person who made the change does not wait for everyone else to hear of it. Announcements of
 * one board go out one after another, so the last one is never older than the last change,
 * and one that fails (an outage) is sent again once it can be.
 */
const announceQueue = announcer(
	async (gatheringId) => publish(topic.gathering(gatheringId), await boardSummary(anonDataClient(), gatheringId)),
	{ onGiveUp: (gathering, error) => log.error({ err: error, gathering }, 'announcing a board change failed') }
);

export function announceBoard(gatheringId: string): void {
	announceQueue(gatheringId);
}

export async function respond(db: DataClient, gatheringId: string, status: 'going' | 'maybe' | 'not_going', guests: number) {
	const result = await queries.respond(db, gatheringId, status, guests);
	if (result.ok) announceBoard(gatheringId);
	return result;
}

/**
 * Releases places held for first-timers once their time has come (run regularly), and tells
 * the open boards where someone moved up. Returns those gatherings.
 */
export async function releaseHeldPlaces(service: DataClient): Promise<string[]> {
	const moved = await releaseFirstTimerPlaces(service);
	for (const gatheringId of moved) announceBoard(gatheringId);
	return moved;
}

export async function pledgeToSlot(db: DataClient, gatheringId: string, slotId: string, quantity: number) {
	const result = await queries.pledgeToSlot(db, slotId, quantity);
	if (result.ok) announceBoard(gatheringId);
	return result;
}

/** "Meet me at the door", "I have 2 seats in my car", …: matched privately, then announced. */
export async function askOrOfferHelp(db: DataClient, gatheringId: string, help: Parameters<typeof helpQueries.askOrOfferHelp>[2]) {
	const result = await helpQueries.askOrOfferHelp(db, gatheringId, help);
	if (result.ok) announceBoard(gatheringId);
	return result;
}

/** For hosts: who is coming, with guests and first-timers, and who brings what, to tick off at the door. */
export async function doorList(db: DataClient, gatheringId: string) {
	const [people, summary, help] = await Promise.all([listBoardPeople(db, gatheringId), boardSummary(db, gatheringId), helpQueries.boardHelp(db, gatheringId)]);
	const pledges = await listPledges(db, summary.slots.map((s) => s.id));
	const helpers = pledges.map((p) => ({ ...p, label: summary.slots.find((s) => s.id === p.slot_id)?.label ?? '' }));
	return { people, helpers, help: help.asks };
}

/**
 * "I come every week": on signs the member up for every upcoming date they have not answered,
 * and the open boards of those dates hear of it.
 */
export async function setStandingSignup(db: DataClient, activityId: string, on: boolean) {
	if (!(await queries.setStandingSignup(db, activityId, on))) return false;
	if (on) {
		// The dates set_standing_signup signed up for: every scheduled one still to come.
		const upcoming = await listUpcomingGatherings(db, { activityId }, { from: new Date(), limit: 200 });
		for (const gathering of upcoming) announceBoard(gathering.id);
	}
	return true;
}

// Nothing to add on the way from the queries to the pages.
export { thankForHelp, markArrival, listFeedback, leaveFeedback, hasStandingSignup, myGatheringContributions } from './queries.server.ts';
