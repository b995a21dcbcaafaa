import { describe, expect, it } from 'vitest';
import { applyBoardChange, type BoardChange, type GatheringFacts } from './board-change.ts';
import { personalPart, waitlistPlace } from './board-personal.ts';
import type { BoardView } from './board.ts';

const gathering: GatheringFacts & { is_extra: boolean } = {
	id: '00000000-0000-4000-8000-000000000001',
	status: 'scheduled',
	cancellation_reason: null,
	starts_at: '2026-12-10T17:00:00Z',
	ends_at: '2026-12-10T19:00:00Z',
	place_name: null,
	place_address: null,
	sequence: 0,
	is_extra: false
};
const slot = '00000000-0000-4000-8000-0000000000a1';
const summary = (going: number, waitlist = 0) => ({
	gathering_id: gathering.id,
	going,
	people_going: going,
	waitlist,
	maybe: 0,
	capacity: 2,
	held_for_newcomers: 0,
	slots: [{ id: slot, label: 'Toetje', kind: 'item' as const, quantity: 2, taken: 1 }]
});
const counts = (asked: number, arranged: number) => [{ kind: 'ride' as const, asked, arranged, offered: 1 }];
const me = 'aaaaaaaa-0000-4000-8000-000000000001';
const other = 'bbbbbbbb-0000-4000-8000-000000000002';

const before: BoardView = {
	summary: summary(2, 1),
	people: [],
	pledges: [],
	mine: { status: 'waitlist', guests: 0, promoted: false, demoted: false, waitlistPlace: 1 },
	help: { counts: counts(1, 0), asks: [], offers: [] }
};

const boardChange = (over: Partial<BoardChange> = {}): BoardChange => ({
	audience: 'board',
	gathering,
	summary: summary(2, 0),
	help_counts: counts(1, 0),
	needs: [],
	people: [
		{ key: 'k-ans', member_id: other, name: 'Ans', status: 'going', guests: 0, brought: [], promoted: false, demoted: false },
		{ key: 'k-mo', member_id: me, name: 'Mo', status: 'going', guests: 0, brought: [], promoted: true, demoted: false }
	],
	pledges: [{ slot_id: slot, member_id: other, name: 'Ans', quantity: 1 }],
	...over
});

describe('waitlistPlace', () => {
	const line = (...statuses: ('going' | 'waitlist' | 'maybe')[]) => statuses.map((status) => ({ status }));
	it('counts one’s number in the line, the going before it not counted', () => {
		expect(waitlistPlace(line('going', 'going', 'waitlist', 'waitlist', 'waitlist', 'maybe'), 4)).toBe(3);
		expect(waitlistPlace(line('waitlist'), 0)).toBe(1);
	});
	it('is null for someone not waiting or not on the list', () => {
		expect(waitlistPlace(line('going', 'waitlist'), 0)).toBeNull();
		expect(waitlistPlace(line('going', 'maybe'), 1)).toBeNull();
		expect(waitlistPlace(line('going'), -1)).toBeNull();
	});
});

describe('applyBoardChange', () => {
	it('gives a person on the board the names, their own place and who brings what', () => {
		const next = applyBoardChange({ board: before, gathering }, boardChange(), me, personalPart);
		expect(next.board.mine).toEqual({ status: 'going', guests: 0, promoted: true, demoted: false, waitlistPlace: null });
		expect(next.board.people.map((p) => [p.name, p.me, p.firstTime])).toEqual([
			['Ans', false, false],
			['Mo', true, false]
		]);
		expect(next.board.pledges).toEqual([{ slotId: slot, name: 'Ans', quantity: 1, me: false }]);
		expect(next.refreshHelp).toBe(false);
	});

	it('keeps the names it built for entries that stayed, and builds the ones that came or changed', () => {
		const first = boardChange();
		const shown = applyBoardChange({ board: before, gathering }, first, me, personalPart);
		const mo = first.people![1];
		// Ans leaves, Bo joins; Mo's entry is the same object (view-patch keeps unchanged entries).
		const bo = { key: 'k-bo', member_id: 'cccccccc-0000-4000-8000-000000000003', name: 'Bo', status: 'going' as const, guests: 1, brought: [], promoted: false, demoted: false };
		const next = applyBoardChange(shown, boardChange({ people: [mo!, bo] }), me, personalPart);
		expect(next.board.people[0]).toBe(shown.board.people[1]);
		expect(next.board.people.map((p) => [p.name, p.me, p.guests])).toEqual([
			['Mo', true, 0],
			['Bo', false, 1]
		]);
		expect(next.board.mine?.status).toBe('going');
		// Mo's own entry changes: the page shows the new one, and Mo's place follows it.
		const moAway = { ...mo!, status: 'waitlist' as const, demoted: true };
		const after = applyBoardChange(next, boardChange({ people: [bo, moAway] }), me, personalPart);
		expect(after.board.people.map((p) => [p.name, p.status])).toEqual([
			['Bo', 'going'],
			['Mo', 'waitlist']
		]);
		expect(after.board.mine).toEqual({ status: 'waitlist', guests: 0, promoted: true, demoted: true, waitlistPlace: 1 });
		// Someone else joins the line behind Mo, then Bo drops to the front of it: Mo is second.
		const cy = { key: 'k-cy', member_id: 'dddddddd-0000-4000-8000-000000000004', name: 'Cy', status: 'waitlist' as const, guests: 0, brought: [], promoted: false, demoted: false };
		const boAway = { ...bo, status: 'waitlist' as const, demoted: true };
		expect(applyBoardChange(after, boardChange({ people: [bo, moAway, cy] }), me, personalPart).board.mine?.waitlistPlace).toBe(1);
		expect(applyBoardChange(after, boardChange({ people: [boAway, moAway, cy] }), me, personalPart).board.mine?.waitlistPlace).toBe(2);
		// Another first-time list means other marks: every name is built again.
		const marked = applyBoardChange(after, boardChange({ audience: 'runners', people: [bo, moAway], first_timers: ['k-bo'], help: { asks: [], offers: [] } }), me, personalPart);
		expect(marked.board.people.map((p) => p.firstTime)).toEqual([true, false]);
	});

	it('shows a visitor counts only, and tells someone who left the board that they did', () => {
		const change: BoardChange = { audience: 'public', gathering, summary: summary(1), help_counts: counts(1, 0), needs: [] };
		const visitor = applyBoardChange({ board: { ...before, mine: null }, gathering }, change, null);
		expect(visitor.board.people).toEqual([]);
		expect(visitor.board.summary.going).toBe(1);
		expect(visitor.board.mine).toBeNull();
		const leaver = applyBoardChange({ board: before, gathering }, change, me, personalPart);
		expect(leaver.board.mine?.status).toBe('not_going');
	});

	it('patches the gathering: a cancelled or moved date shows at once', () => {
		const next = applyBoardChange({ board: before, gathering }, boardChange({ gathering: { ...gathering, status: 'cancelled', cancellation_reason: 'Ziek', sequence: 1 } }), me, personalPart);
		expect(next.gathering).toMatchObject({ status: 'cancelled', cancellation_reason: 'Ziek', is_extra: false });
	});

	it('gives those who run it the first-time marks and every request of help, marked from their side', () => {
		const next = applyBoardChange(
			{ board: before, gathering },
			boardChange({
				audience: 'runners',
				people: [{ key: 'k-ans', member_id: other, name: 'Ans', status: 'going', guests: 1, brought: [], promoted: false, demoted: false }],
				first_timers: ['k-ans'],
				help: {
					asks: [{ member_id: other, kind: 'ride', people: 1, note: '', name: 'Ans', helper_id: me, helper: 'Mo', helper_note: null }],
					offers: [{ member_id: me, kind: 'ride', places: 2, used: 1, note: '', name: 'Mo' }]
				}
			}),
			me,
			personalPart
		);
		expect(next.board.people[0]).toMatchObject({ name: 'Ans', firstTime: true, guests: 1 });
		expect(next.board.help.asks[0]).toMatchObject({ mine: false, helper_is_me: true });
		expect(next.board.help.offers[0]).toMatchObject({ mine: true });
	});

	it('shows someone brought along with the one who brought them, and drops them when they are taken off', () => {
		const els = { id: '00000000-0000-4000-8000-0000000000e1', name: 'Els' };
		const ans = { key: 'k-ans', member_id: other, name: 'Ans', status: 'going' as const, guests: 1, brought: [els], promoted: false, demoted: false };
		const withEls = applyBoardChange({ board: before, gathering }, boardChange({ audience: 'board', people: [ans] }), me, personalPart);
		expect(withEls.board.people[0]).toMatchObject({ name: 'Ans', guests: 1, brought: [els] });
		const without = applyBoardChange(withEls, boardChange({ audience: 'board', people: [{ ...ans, guests: 0, brought: [] }] }), me, personalPart);
		expect(without.board.people[0]).toMatchObject({ name: 'Ans', guests: 0, brought: [] });
	});

	it('asks for one’s own help again only when one has some and the counts moved', () => {
		const withAsk: BoardView = {
			...before,
			help: { counts: counts(1, 0), asks: [{ member_id: me, kind: 'ride', people: 1, note: '', mine: true, name: 'Mo', helper: null, helper_note: null, helper_is_me: false }], offers: [] }
		};
		expect(applyBoardChange({ board: withAsk, gathering }, boardChange({ help_counts: counts(1, 1) }), me, personalPart).refreshHelp).toBe(true);
		expect(applyBoardChange({ board: withAsk, gathering }, boardChange(), me, personalPart).refreshHelp).toBe(false);
		expect(applyBoardChange({ board: before, gathering }, boardChange({ help_counts: counts(1, 1) }), me, personalPart).refreshHelp).toBe(false);
		// Others' requests never linger once one no longer runs it.
		const ownOnly = applyBoardChange({ board: withAsk, gathering }, boardChange(), me, personalPart).board.help.asks;
		expect(ownOnly).toHaveLength(1);
	});
});
