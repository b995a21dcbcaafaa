import type { BoardHelp } from '../help/schemas.ts';
import type { AttendanceStatus, BoardView } from './board.ts';
import type { BoardChange, PersonalPart } from './board-change.ts';

/**
 * What a signed-in viewer's board shows of people after a change: the names (for the people on
 * the board and those who run it), one's own place, who brings what, and help. Apart from
 * board-change.ts so a visitor's page, which shows counts only, never downloads it: the page
 * gets it with the forms for signed-in people (routes/g/[id]/member).
 */

/**
 * One's number on the waitlist, counted in a board's list of people (going by arrival, then the
 * waitlist in order: the waiting stand together), from the person at `index` back to the first
 * who is not waiting. Null for someone who is not waiting.
 */
export function waitlistPlace(people: readonly { status: AttendanceStatus }[], index: number): number | null {
	if (index < 0 || people[index]?.status !== 'waitlist') return null;
	let place = 1;
	for (let i = index - 1; i >= 0 && people[i]!.status === 'waitlist'; i--) place++;
	return place;
}

type Entry = NonNullable<BoardChange['people']>[number];

/** What each list of names a page shows was built from, so the next change rebuilds only what changed. */
const builtFrom = new WeakMap<BoardView['people'], { entries: Entry[]; firstTimers: string[] | undefined; me: string | null; mineFrom: Entry | undefined }>();

/**
 * The names as the page shows them. A change on a board of 1,000 names brings one or two new
 * entries and leaves the others the same objects (view-patch.ts): their names are kept as they
 * were built, so a phone does not rebuild the whole list for every sign-up.
 */
function peopleOnBoard(shown: BoardView['people'], entries: Entry[], firstTimers: string[] | undefined, me: string | null) {
	const before = builtFrom.get(shown);
	const reusable = before && before.me === me && before.firstTimers === firstTimers ? before : undefined;
	const firstTime = new Set(firstTimers ?? []);
	const people: BoardView['people'] = new Array(entries.length);
	let mineFrom: Entry | undefined;
	let j = 0;
	for (let i = 0; i < entries.length; i++) {
		const entry = entries[i]!;
		if (reusable) {
			// Same order as before, give or take a few entries that came or went.
			let k = j;
			while (k < reusable.entries.length && k < j + 4 && reusable.entries[k] !== entry) k++;
			if (reusable.entries[k] === entry) {
				people[i] = shown[k]!;
				j = k + 1;
				// Compared, not read: reading 1,000 names the page already shows would cost more than all the rest.
				if (entry === reusable.mineFrom) mineFrom = entry;
				continue;
			}
		}
		const isMe = me !== null && entry.member_id === me;
		people[i] = { name: entry.name, status: entry.status, guests: entry.guests, brought: entry.brought, firstTime: firstTime.has(entry.key), me: isMe };
		if (isMe) mineFrom = entry;
	}
	builtFrom.set(people, { entries, firstTimers, me, mineFrom });
	return { people, mineFrom };
}

const sameCounts = (a: BoardHelp['counts'], b: BoardHelp['counts']) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The people, pledges, place and help `me` sees after `change`. `refreshHelp` asks the page to
 * fetch the viewer's own requests and offers of help again: they are private (no audience's view
 * carries them), and only someone with one of their own can have seen theirs change.
 */
export const personalPart: PersonalPart = (previous, change, me) => {
	const seesNames = change.audience !== 'public' && change.people !== undefined;
	const built = seesNames ? peopleOnBoard(previous.people, change.people!, change.first_timers, me) : { people: [], mineFrom: undefined };
	const people = built.people;
	const person = built.mineFrom;
	const mineBefore = previous.mine;
	let mine: BoardView['mine'];
	if (person) {
		// Counted only for someone waiting: the others need no walk through the list.
		const place = person.status === 'waitlist' ? waitlistPlace(change.people!, change.people!.indexOf(person)) : null;
		mine = { status: person.status, guests: person.guests, promoted: person.promoted, demoted: person.demoted, waitlistPlace: place };
	}
	// Off the board (or never on it): someone who was on it has left it.
	else if (mineBefore && mineBefore.status !== 'not_going') mine = { status: 'not_going', guests: 0, promoted: false, demoted: false, waitlistPlace: null };
	else mine = mineBefore;

	const pledges: BoardView['pledges'] = seesNames
		? change.pledges!.map((p) => ({ slotId: p.slot_id, name: p.name, quantity: p.quantity, me: me !== null && p.member_id === me }))
		: // Visitors see no names; one's own pledge stays one's own.
			previous.pledges.filter((p) => p.me && change.summary.slots.some((s) => s.id === p.slotId)).map((p) => ({ ...p, name: null }));

	let help: BoardHelp;
	let refreshHelp = false;
	if (change.help) {
		help = {
			counts: change.help_counts,
			asks: change.help.asks.map((a) => ({
				member_id: a.member_id,
				kind: a.kind,
				people: a.people,
				note: a.note,
				mine: a.member_id === me,
				name: a.name,
				helper: a.helper,
				helper_note: a.helper_note,
				helper_is_me: me !== null && a.helper_id === me
			})),
			offers: change.help.offers.map((o) => ({ kind: o.kind, places: o.places, used: o.used, note: o.note, mine: o.member_id === me, name: o.name }))
		};
	} else {
		const ownAsks = previous.help.asks.filter((a) => a.mine || a.helper_is_me);
		const ownOffers = previous.help.offers.filter((o) => o.mine);
		help = { counts: change.help_counts, asks: ownAsks, offers: ownOffers };
		refreshHelp = (ownAsks.length > 0 || ownOffers.length > 0) && !sameCounts(previous.help.counts, change.help_counts);
	}

	return { people, pledges, mine, help, refreshHelp };
};
