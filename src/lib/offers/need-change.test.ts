import { describe, expect, it } from 'vitest';
import { applyNeedsChange, shownNeeds, type NeedOnBoard, type ShownNeed } from './need-change.ts';

const chairs: NeedOnBoard = { id: 'n-chairs', kind: 'materials', title: 'Klapstoelen', quantity: 20, pledged: 0, pledge_answers: 0, slot_id: null, date: '2026-12-12' };
const shown = (over: Partial<ShownNeed> = {}): ShownNeed => ({
	id: 'n-chairs',
	kind: 'materials',
	title: 'Klapstoelen',
	quantity: 20,
	pledged: 0,
	pledgeAnswers: 0,
	left: 20,
	date: '2026-12-12',
	activityTitle: 'Buurtdiner',
	slotId: null,
	waiting: 0,
	mine: null,
	...over
});

describe('shownNeeds', () => {
	it('counts the pledges waiting for an answer and keeps one’s own pledge’s step, not others’', () => {
		const [need] = shownNeeds([
			{
				...shown(),
				pledges: [
					{ status: 'offered', mine: false },
					{ status: 'offered', mine: false },
					{ status: 'withdrawn', mine: true },
					{ status: 'accepted', mine: true }
				]
			}
		]);
		expect(need).toEqual(shown({ waiting: 2, mine: 'accepted' }));
	});
});

describe('applyNeedsChange', () => {
	it('shows a new need, and a pledge’s figures, with the activity’s title', () => {
		const first = applyNeedsChange([], [chairs], undefined, 'Buurtdiner');
		expect(first).toEqual({ needs: [shown()], refresh: false });
		const next = applyNeedsChange(first.needs, [{ ...chairs, pledged: 15 }], undefined, 'Buurtdiner');
		expect(next.needs[0]).toMatchObject({ pledged: 15, left: 5 });
		expect(next.refresh).toBe(false);
	});

	it('gives those who run it the number waiting, and keeps it for others as it was', () => {
		const runners = applyNeedsChange([shown()], [chairs], [{ id: 'n-chairs', waiting: 3 }], 'Buurtdiner');
		expect(runners.needs[0]!.waiting).toBe(3);
		const others = applyNeedsChange([shown({ waiting: 1 })], [chairs], undefined, 'Buurtdiner');
		expect(others.needs[0]!.waiting).toBe(1);
	});

	it('asks someone with a pledge to fetch their own again when its need changed or closed; nobody else', () => {
		const mine = [shown({ mine: 'offered' })];
		expect(applyNeedsChange(mine, [chairs], undefined, 'Buurtdiner').refresh).toBe(false);
		expect(applyNeedsChange(mine, [{ ...chairs, pledged: 5 }], undefined, 'Buurtdiner').refresh).toBe(true);
		expect(applyNeedsChange(mine, [], undefined, 'Buurtdiner')).toEqual({ needs: [], refresh: true });
		expect(applyNeedsChange([shown()], [], undefined, 'Buurtdiner')).toEqual({ needs: [], refresh: false });
	});

	it('asks the giver to fetch their pledge again when one of the need’s pledges was answered, the figures unchanged', () => {
		// A host accepts: the need still counts the same pledged, one more answer.
		const answered = { ...chairs, pledged: 5, pledge_answers: 1 };
		expect(applyNeedsChange([shown({ pledged: 5, mine: 'offered' })], [answered], undefined, 'Buurtdiner')).toMatchObject({
			needs: [{ pledgeAnswers: 1 }],
			refresh: true
		});
		// Someone without a pledge there has nothing of their own to fetch.
		expect(applyNeedsChange([shown({ pledged: 5 })], [answered], undefined, 'Buurtdiner').refresh).toBe(false);
	});
});
