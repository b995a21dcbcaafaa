import { describe, expect, it } from 'vitest';
import { applyChangedEvent, diffViews, emptyPatch, patchView } from './view-patch.ts';

const person = (key: string, sort: string, name: string, status = 'going') => ({ key, sort, name, status });

describe('view patches', () => {
	it('sends only what changed: one new name on a long list is one entry', () => {
		const people = Array.from({ length: 1000 }, (_, i) => person(`k${i}`, `a${String(i).padStart(5, '0')}`, `Buur ${i}`));
		const before = { summary: { going: 1000 }, people, title: 'Diner' };
		const after = { summary: { going: 1001 }, people: [...people, person('k-new', 'a99999', 'Nieuwe Buur')], title: 'Diner' };
		const patch = diffViews(before, after);
		expect(patch.set).toEqual({ summary: { going: 1001 } });
		expect(patch.lists.people).toEqual({ removed: [], upserted: [person('k-new', 'a99999', 'Nieuwe Buur')] });
		expect(JSON.stringify(patch).length).toBeLessThan(200);
		expect(patchView(before, patch)).toEqual(after);
	});

	it('rebuilds the order from the sort keys when people leave, move or change', () => {
		const before = { people: [person('a', 'a1', 'Ans'), person('b', 'a2', 'Bo'), person('c', 'b1', 'Cas', 'waitlist')] };
		// Ans leaves; Cas moves up behind Bo; Bo renamed.
		const after = { people: [person('b', 'a2', 'Bob'), person('c', 'a3', 'Cas')] };
		const patch = diffViews(before, after);
		// Ans is gone; Cas left the waitlist for a place among the going.
		expect(patch.lists.people!.removed).toEqual([
			{ key: 'a', sort: 'a1' },
			{ key: 'c', sort: 'b1' }
		]);
		expect(patchView(before, patch)).toEqual(after);
		expect(before.people).toHaveLength(3); // the page's copy is never changed in place
	});

	it('keeps unchanged entries as they were, and refuses a patch that does not fit', () => {
		const before = { people: [person('a', 'a1', 'Ans'), person('b', 'a2', 'Bo')] };
		const after = { people: [person('a', 'a1', 'Ans'), person('b', 'a2', 'Bo'), person('c', 'a3', 'Cas')] };
		const patched = patchView(before, diffViews(before, after))!;
		expect(patched.people[0]).toBe(before.people[0]);
		expect(patched.people[2]).toEqual(person('c', 'a3', 'Cas'));
		// Made for a list that held Dirk: this page never had him, so it asks for the whole view.
		expect(patchView(before, { set: {}, unset: [], lists: { people: { removed: [{ key: 'd', sort: 'a0' }], upserted: [] } } })).toBeNull();
	});

	it('turns any list into any other, in order', () => {
		// A deterministic shuffle of joins, leaves, moves and renames over many rounds.
		let seed = 7;
		const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
		let view: { people: ReturnType<typeof person>[] } = { people: [] };
		for (let round = 0; round < 300; round++) {
			const byKey = new Map(view.people.map((p) => [p.key, p]));
			for (let k = random(4); k > 0; k--) byKey.set(`k${random(60)}`, person('', '', ''));
			for (let k = random(3); k > 0; k--) byKey.delete(`k${random(60)}`);
			const next = [...byKey.keys()].map((key) => {
				const was = byKey.get(key)!;
				const moves = !was.sort || random(5) === 0;
				return person(key, moves ? `${'abc'[random(3)]}${String(random(100)).padStart(3, '0')}` : was.sort, random(6) === 0 ? `Naam ${random(9)}` : was.name || 'Buur');
			});
			next.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : a.key < b.key ? -1 : 1));
			const after = { people: next };
			expect(patchView(view, diffViews(view, after))).toEqual(after);
			view = after;
		}
	});

	it('drops fields that are gone and finds nothing to send when nothing changed', () => {
		const view = { audience: 'board', people: [person('a', 'a1', 'Ans')], help: { asks: [] } };
		expect(emptyPatch(diffViews(view, structuredClone(view)))).toBe(true);
		const { help: _gone, ...without } = view;
		const patch = diffViews(view, without);
		expect(patch.unset).toEqual(['help']);
		expect(patchView(view, patch)).toEqual(without);
	});

	it('applies a patch only on the version and audience it was made for', () => {
		const whole = applyChangedEvent(undefined, { topic: 't', audience: 'board', version: 3, view: { n: 1 } })!;
		expect(whole).toEqual({ audience: 'board', version: 3, view: { n: 1 } });
		const patch = { set: { n: 2 }, unset: [], lists: {} };
		expect(applyChangedEvent(whole, { topic: 't', audience: 'board', version: 4, base: 3, patch })).toEqual({ audience: 'board', version: 4, view: { n: 2 } });
		expect(applyChangedEvent(whole, { topic: 't', audience: 'board', version: 5, base: 4, patch })).toBeNull();
		expect(applyChangedEvent(whole, { topic: 't', audience: 'public', version: 4, base: 3, patch })).toBeNull();
		expect(applyChangedEvent(undefined, { topic: 't', audience: 'board', version: 4, base: 3, patch })).toBeNull();
	});
});
