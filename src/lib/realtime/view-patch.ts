/**
 * Views sent to open pages are patched, not resent: after each change a viewer receives only
 * the fields that changed, and for long lists (the names on a board) only the entries that
 * came, went or changed, so a change costs the same few hundred bytes on a board of 10 or of
 * 1,000. Entries of such a list carry a stable `key` and a `sort` key (ordered as plain
 * string comparison orders them); the full list is rebuilt by sorting on it.
 */
export interface ListEntry {
	key: string;
	sort: string;
}

export interface ViewPatch {
	/** Fields replaced whole. */
	set: Record<string, unknown>;
	/** Fields gone. */
	unset: string[];
	/** Keyed lists: entries that went, and entries that came or changed. */
	lists: Record<string, { removed: string[]; upserted: ListEntry[] }>;
}

type View = Record<string, unknown>;

const isKeyedList = (value: unknown): value is ListEntry[] =>
	Array.isArray(value) && value.every((e) => e !== null && typeof e === 'object' && typeof (e as ListEntry).key === 'string' && typeof (e as ListEntry).sort === 'string');

const byKey = (entries: ListEntry[]) => new Map(entries.map((e) => [e.key, e] as const));

/** What turns `before` into `after`; lists whose entries have `key` and `sort` are diffed per entry. */
export function diffViews(before: View, after: View): ViewPatch {
	const patch: ViewPatch = { set: {}, unset: [], lists: {} };
	for (const field of Object.keys(before)) if (!(field in after)) patch.unset.push(field);
	for (const [field, value] of Object.entries(after)) {
		const old = before[field];
		if (isKeyedList(value) && isKeyedList(old) && value.length + old.length > 0) {
			const oldByKey = byKey(old);
			const newKeys = new Set(value.map((e) => e.key));
			const removed = old.filter((e) => !newKeys.has(e.key)).map((e) => e.key);
			const upserted = value.filter((e) => {
				const was = oldByKey.get(e.key);
				return !was || JSON.stringify(was) !== JSON.stringify(e);
			});
			if (removed.length || upserted.length) patch.lists[field] = { removed, upserted };
		} else if (JSON.stringify(old) !== JSON.stringify(value)) {
			patch.set[field] = value;
		}
	}
	return patch;
}

export const emptyPatch = (patch: ViewPatch) => Object.keys(patch.set).length === 0 && patch.unset.length === 0 && Object.keys(patch.lists).length === 0;

/** `before` with `patch` applied (a new object; `before` is left as it was). */
export function patchView<V extends View>(before: V, patch: ViewPatch): V {
	const after: View = { ...before, ...patch.set };
	for (const field of patch.unset) delete after[field];
	for (const [field, { removed, upserted }] of Object.entries(patch.lists)) {
		const entries = byKey(isKeyedList(before[field]) ? (before[field] as ListEntry[]) : []);
		for (const key of removed) entries.delete(key);
		for (const entry of upserted) entries.set(entry.key, entry);
		// Entries keep their place and newcomers come last, which is mostly the right order
		// already (people join at the end): sort only when it is not.
		const list = [...entries.values()];
		const ordered = list.every((entry, i) => i === 0 || list[i - 1]!.sort <= entry.sort);
		after[field] = ordered ? list : list.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
	}
	return after as V;
}

/**
 * What travels with `changed`: a whole view (on watching, on moving to another audience), or
 * a patch on the view of `base` for the same audience. A page that holds another version asks
 * for the whole view again by watching once more.
 */
export type ChangedEvent =
	| { topic: string; audience: string; version: number; view: View }
	| { topic: string; audience: string; version: number; base: number; patch: ViewPatch };

/** The page's copy of a topic's view, brought up to date by one event; null when it cannot be (ask for the whole view). */
export function applyChangedEvent(held: { audience: string; version: number; view: View } | undefined, event: ChangedEvent): { audience: string; version: number; view: View } | null {
	if ('view' in event) return { audience: event.audience, version: event.version, view: event.view };
	if (!held || held.audience !== event.audience || held.version !== event.base) return null;
	return { audience: event.audience, version: event.version, view: patchView(held.view, event.patch) };
}
