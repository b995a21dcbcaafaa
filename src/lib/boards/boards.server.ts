import type { BoardView } from './board.ts';
import type { BoardAudience } from './board-change.ts';
import { waitlistPlace } from './board-personal.ts';
import type { AudienceViews } from '../realtime/audiences.server.ts';
import { serviceDataClient, type DataClient } from '../server/db/client.ts';
import * as queries from './queries.server.ts';
import * as helpQueries from '../help/queries.server.ts';
import { boardSummary, listBoardPeople, listMyPlans, listPledges, releaseFirstTimerPlaces, type MyPlan } from './queries.server.ts';
import { listGatheringsByIds } from '../activities/gathering-queries.server.ts';
import type { AgendaGathering } from '../agenda/agenda.ts';

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
		memberId ? listBoardPeople(db, gatheringId, memberId) : [],
		memberId ? listPledges(db, summary.slots.map((s) => s.id)) : [],
		helpQueries.boardHelp(db, gatheringId)
	]);
	// One's own answer shows even when it is "I can't come"; the board lists only those on it.
	const mine = people.find((p) => p.member_id === memberId) ?? null;
	const onBoard = people.filter((p) => p.status !== 'not_going');
	return {
		summary,
		people: onBoard
			.map((p) => ({
				name: p.member?.display_name ?? null,
				status: p.status,
				guests: p.guests,
				brought: p.brought_person.map((b) => ({ id: b.id, name: b.first_name })),
				// A quiet cue for hosts to welcome someone; nobody else is shown it.
				firstTime: options.runsIt && p.first_time,
				me: p.member_id === memberId
			})),
		pledges: pledges.map((p) => ({ slotId: p.slot_id, name: p.member?.display_name ?? null, quantity: p.quantity, me: p.member_id === memberId })),
		mine: mine
			? {
					status: mine.status,
					guests: mine.guests,
					promoted: Boolean(mine.promoted_at),
					demoted: Boolean(mine.demoted_at),
					waitlistPlace: waitlistPlace(onBoard, onBoard.indexOf(mine))
				}
			: null,
		help
	};
}

/** What the signed-in member is going to, from `now` on: each date with their answer, roles and help. */
export async function myPlans(db: DataClient, now = new Date()): Promise<{ gathering: AgendaGathering; plan: MyPlan }[]> {
	const plans = await listMyPlans(db, now);
	const gatherings = await listGatheringsByIds(db, plans.map((p) => p.gathering_id));
	const byId = new Map(plans.map((p) => [p.gathering_id, p]));
	return gatherings.map((gathering) => ({ gathering, plan: byId.get(gathering.id)! }));
}

/**
 * What each audience of a board sees after a change (realtime/audiences.server.ts sends it):
 * computed once per change for all viewers; who is on the board and who runs it decide each
 * viewer's audience. Changes are announced by the database itself (migration
 * *_board_changes.sql), so nothing here has to remember to announce them.
 */
export async function boardAudiences(gatheringId: string): Promise<AudienceViews | null> {
	const parts = await queries.boardAudienceViews(serviceDataClient(), gatheringId);
	if (!parts) return null;
	const audienceOf = new Map<string, BoardAudience>();
	for (const id of parts.board_members) audienceOf.set(id, 'board');
	for (const id of parts.runner_members) audienceOf.set(id, 'runners');
	// Each audience sees what the one before it sees, and its own part.
	const board = { ...parts.public, ...parts.board };
	return { views: { public: parts.public, board, runners: { ...board, ...parts.runners } }, audienceOf };
}

/**
 * What saying "I can't come" would give up: the things one said one would bring or do (by
 * their label), whether one asked or offered help here, and who one brought along (by name:
 * they come off the list too, attendance_keeps_brought). Asked before it is done, since
 * others may count on them (the SQL gives them up: attendance_drop_slots, attendance_drop_help).
 */
export async function whatLeavingGivesUp(db: DataClient, gatheringId: string, memberId: string): Promise<{ slots: string[]; help: boolean; brought: string[] }> {
	const board = await boardFor(db, gatheringId, memberId);
	const labels = new Map(board.summary.slots.map((s) => [s.id, s.label]));
	return {
		slots: board.pledges.filter((p) => p.me).map((p) => labels.get(p.slotId) ?? ''),
		help: board.help.asks.some((a) => a.mine || a.helper_is_me) || board.help.offers.some((o) => o.mine),
		brought: board.people.find((p) => p.me)?.brought.map((b) => b.name) ?? []
	};
}

/** Releases places held for first-timers once their time has come (run regularly); the gatherings where someone moved up. */
export async function releaseHeldPlaces(service: DataClient): Promise<string[]> {
	return releaseFirstTimerPlaces(service);
}

/** For hosts: who is coming, with guests and first-timers, and who brings what, to tick off at the door. */
export async function doorList(db: DataClient, gatheringId: string) {
	const [people, summary, help] = await Promise.all([listBoardPeople(db, gatheringId), boardSummary(db, gatheringId), helpQueries.boardHelp(db, gatheringId)]);
	const pledges = await listPledges(db, summary.slots.map((s) => s.id));
	const helpers = pledges.map((p) => ({ ...p, label: summary.slots.find((s) => s.id === p.slot_id)?.label ?? '' }));
	return { people, helpers, help: help.asks };
}

// Nothing to add on the way from the queries to the pages: every change is announced by the
// database itself.
export { respond, pledgeToSlot, setStandingSignup, bringAlong, takeOffBrought, markBroughtArrival } from './queries.server.ts';
export { askOrOfferHelp } from '../help/queries.server.ts';
export { thankForHelp, markArrival, listFeedback, leaveFeedback, hasStandingSignup, myGatheringContributions } from './queries.server.ts';
