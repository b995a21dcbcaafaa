/**
 * Views sent to open pages are patched, not resent: after each change a viewer receives only
 * the fields that changed, and for long lists (the names on a board) only the entries that
 * came, went or changed, so a change costs the same few hundred bytes on a board of 10 or of
 * 1,000. Entries of such a list carry a stable `key` and a `sort` key, and the list comes
 * ordered by them (see compareEntries).
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
	/**
	 * Keyed lists: entries that went (key and sort as they were), and entries that came or
	 * changed. An entry that moved is both: gone from its old place, come to its new one.
	 */
	lists: Record<string, { removed: ListEntry[]; upserted: ListEntry[] }>;
}

type View = Record<string, unknown>;

const isKeyedList = (value: unknown): value is ListEntry[] =>
	Array.isArray(value) && value.every((e) => e !== null && typeof e === 'object' && typeof (e as ListEntry).key === 'string' && typeof (e as ListEntry).sort === 'string');

/** The order of a keyed list: by `sort` as plain code units compare (PostgreSQL's collate "C" on ASCII), then by `key`. */
const compareEntries = (a: ListEntry, b: ListEntry) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The first place in the sorted `list` where `entry` belongs. */
function placeOf(list: ListEntry[], entry: ListEntry): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareEntries(list[middle]!, entry) < 0) low = middle + 1;
		else high = middle;
	}
	return low;
}

/**
 * Audiences of one topic share their lists (the names on a board are the same list for those
 * on it and those who run it): each pair of lists is diffed once.
 */
const listDiffs = new WeakMap<ListEntry[], { after: ListEntry[]; diff: { removed: ListEntry[]; upserted: ListEntry[] } }>();

function diffLists(old: ListEntry[], value: ListEntry[]) {
	const known = listDiffs.get(old);
	if (known?.after === value) return known.diff;
	const oldByKey = new Map(old.map((e) => [e.key, e] as const));
	const newByKey = new Map(value.map((e) => [e.key, e] as const));
	const removed: ListEntry[] = [];
	for (const e of old) {
		const now = newByKey.get(e.key);
		if (!now || now.sort !== e.sort) removed.push({ key: e.key, sort: e.sort });
	}
	const upserted = value.filter((e) => {
		const was = oldByKey.get(e.key);
		return !was || JSON.stringify(was) !== JSON.stringify(e);
	});
	const diff = { removed, upserted };
	listDiffs.set(old, { after: value, diff });
	return diff;
}

/** What turns `before` into `after`; lists whose entries have `key` and `sort` (in that order) are diffed per entry. */
export function diffViews(before: View, after: View): ViewPatch {
	const patch: ViewPatch = { set: {}, unset: [], lists: {} };
	for (const field of Object.keys(before)) if (!(field in after)) patch.unset.push(field);
	for (const [field, value] of Object.entries(after)) {
		const old = before[field];
		if (isKeyedList(value) && isKeyedList(old) && value.length + old.length > 0) {
			const diff = diffLists(old, value);
			if (diff.removed.length || diff.upserted.length) patch.lists[field] = diff;
		} else if (JSON.stringify(old) !== JSON.stringify(value)) {
			patch.set[field] = value;
		}
	}
	return patch;
}

export const emptyPatch = (patch: ViewPatch) => Object.keys(patch.set).length === 0 && patch.unset.length === 0 && Object.keys(patch.lists).length === 0;

/**
 * `before` with `patch` applied (a new object; `before` is left as it was, and entries that did
 * not change stay the same objects, so a page can keep what it built from them). Each entry is
 * put in its place by binary search: a change costs the same on a list of 10 or of 1,000.
 * Null when the patch does not fit `before` (an entry to remove is not there).
 */
export function patchView<V extends View>(before: V, patch: ViewPatch): V | null {
	const after: View = { ...before, ...patch.set };
	for (const field of patch.unset) delete after[field];
	for (const [field, { removed, upserted }] of Object.entries(patch.lists)) {
		const list = Array.isArray(before[field]) ? (before[field] as ListEntry[]).slice() : [];
		for (const gone of removed) {
			const at = placeOf(list, gone);
			if (list[at]?.key !== gone.key) return null;
			list.splice(at, 1);
		}
		for (const entry of upserted) {
			const at = placeOf(list, entry);
			if (list[at]?.key === entry.key) list[at] = entry;
			else list.splice(at, 0, entry);
		}
		after[field] = list;
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
	const view = patchView(held.view, event.patch);
	return view && { audience: event.audience, version: event.version, view };
}
