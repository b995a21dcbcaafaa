import type { ActivityKind } from './vocabulary.ts';
import { kindLabel } from './kinds.ts';
import { m } from '../paraglide/messages.js';

/** What search engines and link previews (a WhatsApp message, say) show under a page's title. */
const LONGEST = 160;

/**
 * A page's description of an activity: its own words, cut at a word within 160 characters, or
 * else what it is and where, with the one thing to do.
 */
export function activityDescription(activity: { title: string; kind: ActivityKind; description: string; place_name: string }): string {
	const own = activity.description.replace(/\s+/g, ' ').trim();
	if (own) return own.length <= LONGEST ? own : own.slice(0, own.lastIndexOf(' ', LONGEST - 1)).replace(/[\s,.;:]+$/, '') + '…';
	return m.meta_activity_description({ title: activity.title, kind: kindLabel[activity.kind](), place: activity.place_name }).replace(/\s+/g, ' ').trim();
}

/**
 * The kind of an activity in words, and its title when that says more ("Samen eten · Dinsdagdiner",
 * but "Koffieochtend", not "Koffieochtend · Koffieochtend"). Made on the server: the board page
 * then carries neither the words of every kind nor this rule.
 */
export function kindLine(activity: { title: string; kind: ActivityKind }, locale: string): string {
	const kind = kindLabel[activity.kind]();
	const title = activity.title.trim();
	return title.toLocaleLowerCase(locale) === kind.toLocaleLowerCase(locale) ? kind : `${kind} · ${title}`;
}
