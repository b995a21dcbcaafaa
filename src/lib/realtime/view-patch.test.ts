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
		expect(patch.lists.people!.removed).toEqual(['a']);
		expect(patchView(before, patch)).toEqual(after);
		expect(before.people).toHaveLength(3); // the page's copy is never changed in place
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
