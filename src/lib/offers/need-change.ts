import type { OfferKind, PledgeStatus } from './offer-vocabulary.ts';

/**
 * The needs a gathering page shows (what it asks for beyond its board), kept live like the
 * board: each change to the board brings the open needs (board_audience_views), and the page
 * patches its list with `applyNeedsChange`. No library here: the board page imports it.
 */

/** A need as a board's view carries it: public, it names nobody. */
export interface NeedOnBoard {
	id: string;
	kind: OfferKind;
	title: string;
	quantity: number;
	pledged: number;
	/** How many times a pledge to it was answered (accepted, declined, delivered, withdrawn). */
	pledge_answers: number;
	slot_id: string | null;
	date: string | null;
}

/** A need as the gathering page shows it: `waiting` counts for those who run it, `mine` is one's own pledge. */
export interface ShownNeed {
	id: string;
	kind: OfferKind;
	title: string;
	quantity: number;
	pledged: number;
	pledgeAnswers: number;
	left: number;
	date: string | null;
	activityTitle: string;
	slotId: string | null;
	waiting: number;
	mine: PledgeStatus | null;
}

/** What the page loaded (offers.server.ts gatheringNeeds), as it shows it. */
export function shownNeeds(
	needs: readonly (Omit<ShownNeed, 'waiting' | 'mine'> & { pledges: readonly { status: PledgeStatus; mine: boolean }[] })[]
): ShownNeed[] {
	return needs.map(({ pledges, ...need }) => ({
		id: need.id,
		kind: need.kind,
		title: need.title,
		quantity: need.quantity,
		pledged: need.pledged,
		pledgeAnswers: need.pledgeAnswers,
		left: need.left,
		date: need.date,
		activityTitle: need.activityTitle,
		slotId: need.slotId,
		waiting: pledges.filter((p) => p.status === 'offered').length,
		mine: pledges.find((p) => p.mine && p.status !== 'withdrawn')?.status ?? null
	}));
}

/**
 * The needs after a change. `waiting` comes only to those who run the activity; everyone else
 * keeps what they had. One's own pledge is private (no audience's view carries it): someone
 * with a pledge to a need that changed is asked to fetch the page again (`refresh`), as with
 * one's own help.
 */
export function applyNeedsChange(
	shown: readonly ShownNeed[],
	needs: readonly NeedOnBoard[],
	waiting: readonly { id: string; waiting: number }[] | undefined,
	activityTitle: string
): { needs: ShownNeed[]; refresh: boolean } {
	const before = new Map(shown.map((n) => [n.id, n]));
	const waitingFor = waiting ? new Map(waiting.map((w) => [w.id, w.waiting])) : null;
	let refresh = false;
	const next = needs.map((need): ShownNeed => {
		const was = before.get(need.id);
		before.delete(need.id);
		// One's own pledge changed only if the need's figures did, or one of its pledges was answered.
		if (was?.mine && (was.pledged !== need.pledged || was.pledgeAnswers !== need.pledge_answers)) refresh = true;
		return {
			id: need.id,
			kind: need.kind,
			title: need.title,
			quantity: need.quantity,
			pledged: need.pledged,
			pledgeAnswers: need.pledge_answers,
			left: need.quantity - need.pledged,
			date: need.date,
			activityTitle: was?.activityTitle ?? activityTitle,
			slotId: need.slot_id,
			waiting: waitingFor ? (waitingFor.get(need.id) ?? 0) : (was?.waiting ?? 0),
			mine: was?.mine ?? null
		};
	});
	// A need that closed or went, with one's pledge on it.
	for (const gone of before.values()) if (gone.mine) refresh = true;
	return { needs: next, refresh };
}
