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
