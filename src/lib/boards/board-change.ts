import type { BoardHelp } from '../help/schemas.ts';
import type { AttendanceStatus, BoardSummary, BoardView, BroughtPerson } from './board.ts';
import type { NeedOnBoard } from '../offers/need-change.ts';

/**
 * What an open board receives after each change (board_audience_views): the same for every
 * viewer of one audience, so the server computes it once per change. The page patches itself
 * from it with `applyBoardChange`, exactly as tests/bench's viewers do.
 */
export type BoardAudience = 'public' | 'board' | 'runners';

export interface GatheringFacts {
	id: string;
	status: 'scheduled' | 'cancelled';
	cancellation_reason: string | null;
	starts_at: string;
	ends_at: string;
	place_name: string | null;
	place_address: string | null;
	sequence: number;
}

export interface BoardChange {
	audience: BoardAudience;
	gathering: GatheringFacts;
	summary: BoardSummary;
	help_counts: BoardHelp['counts'];
	/** The open needs the gathering page shows (offers/need-change.ts patches them). */
	needs: NeedOnBoard[];
	/** For those who run it: how many pledges to each need wait for an answer. */
	needs_waiting?: { id: string; waiting: number }[];
	/** For the people on the board and those who run it. */
	people?: { key: string; sort?: string; member_id: string | null; name: string | null; status: AttendanceStatus; guests: number; brought: BroughtPerson[]; promoted: boolean; demoted: boolean }[];
	pledges?: { key?: string; sort?: string; slot_id: string; member_id: string | null; name: string | null; quantity: number }[];
	/** For those who run it: the people on the board (by key) who come for the first time. */
	first_timers?: string[];
	/** For those who run it: every request and offer of help. */
	help?: {
		asks: { member_id: string; kind: BoardHelp['asks'][number]['kind']; people: number; note: string; name: string; helper_id: string | null; helper: string | null; helper_note: string | null }[];
		offers: { member_id: string; kind: BoardHelp['offers'][number]['kind']; places: number; used: number; note: string; name: string }[];
	};
}

export interface BoardState<G extends GatheringFacts = GatheringFacts> {
	board: BoardView;
	gathering: G;
}

/** The part of a board that is about people, for one viewer (board-personal.ts for signed-in people). */
export type PersonalPart = (
	previous: BoardView,
	change: BoardChange,
	me: string | null
) => Pick<BoardView, 'people' | 'pledges' | 'mine' | 'help'> & { refreshHelp: boolean };

/** A visitor, who is not signed in: counts only, and nothing of their own on the board. */
const visitorPart: PersonalPart = (previous, change) => ({
	people: [],
	pledges: [],
	mine: previous.mine,
	help: { counts: change.help_counts, asks: [], offers: [] },
	refreshHelp: false
});

/**
 * The board as `me` sees it after `change`: the facts and counts here, the rest by `personal`
 * (board-personal.ts's personalPart for anyone signed in). `refreshHelp` asks the page to fetch
 * the viewer's own help again (see personalPart).
 */
export function applyBoardChange<G extends GatheringFacts>(
	state: BoardState<G>,
	change: BoardChange,
	me: string | null,
	personal: PersonalPart = visitorPart
): BoardState<G> & { refreshHelp: boolean } {
	const { refreshHelp, ...part } = personal(state.board, change, me);
	return {
		board: { summary: change.summary, ...part },
		gathering: { ...state.gathering, ...change.gathering },
		refreshHelp
	};
}
