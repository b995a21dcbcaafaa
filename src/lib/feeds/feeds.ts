import { createHash } from 'node:crypto';
import { tzOffset } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { foldLines, ICalCalendar, ICalEventStatus, ICalEventTransparency, type ICalEvent } from 'ical-generator';
import { z } from 'zod';
import { costKinds } from '../activities/vocabulary.ts';

/**
 * Calendar feeds (iCalendar, RFC 5545) of an activity, a neighbourhood or one member, and the
 * "add to my calendar" file of one gathering.
 *
 * Subscription feeds carry one VEVENT per gathering (the rows the app already keeps twelve
 * weeks ahead), not an RRULE with EXDATE and RECURRENCE-ID overrides: every date has its own
 * board link, cancellation and move, and calendar apps disagree about recurrence exceptions.
 * `buildSeriesCalendar` builds the RRULE form too, so the benchmark can weigh both.
 *
 * Output is deterministic (DTSTAMP is the last change, not "now"), so an unchanged feed gives
 * the same bytes and the same ETag.
 */

/** The activity's facts a feed shows (public: no people). */
export const feedActivitySchema = z.object({
	id: z.uuid(),
	title: z.string(),
	description: z.string(),
	place_name: z.string(),
	place_address: z.string(),
	schedule_time_zone: z.string(),
	schedule_rrule: z.string(),
	schedule_starts_at: z.string(),
	schedule_until: z.string().nullable(),
	duration_minutes: z.number().int(),
	cost_kind: z.enum(costKinds),
	price_cents: z.number().int().nullable(),
	meal_included: z.boolean(),
	what_to_bring: z.string(),
	updated_at: z.string()
});
export type FeedActivity = z.infer<typeof feedActivitySchema>;
export const feedActivityColumns =
	'id, title, description, place_name, place_address, schedule_time_zone, schedule_rrule, schedule_starts_at, schedule_until, duration_minutes, cost_kind, price_cents, meal_included, what_to_bring, updated_at';

export const feedGatheringSchema = z.object({
	id: z.uuid(),
	activity_id: z.uuid(),
	occurrence_starts_at: z.string(),
	starts_at: z.string(),
	ends_at: z.string(),
	status: z.enum(['scheduled', 'cancelled']),
	cancellation_reason: z.string().nullable(),
	place_name: z.string().nullable(),
	place_address: z.string().nullable(),
	is_extra: z.boolean(),
	sequence: z.number().int(),
	updated_at: z.string()
});
export type FeedGathering = z.infer<typeof feedGatheringSchema>;
export const feedGatheringColumns =
	'id, activity_id, occurrence_starts_at, starts_at, ends_at, status, cancellation_reason, place_name, place_address, is_extra, sequence, updated_at';

/** How the member of a personal feed takes part in a gathering. */
export type PersonalRole = 'going' | 'waitlist' | 'host' | 'helping';

export interface FeedEntry {
	gathering: FeedGathering;
	activity: FeedActivity;
	/** Personal feeds only: what this member does there. */
	roles?: PersonalRole[];
	/** Personal feeds only: what they help with ("Koken"). */
	helpsWith?: string[];
}

/** Translated words a feed needs; the caller picks the language. */
export interface FeedText {
	cancelled: string;
	waitlist: string;
	reason: (reason: string) => string;
	cost: (activity: FeedActivity) => string;
	whatToBring: (what: string) => string;
	boardLink: (url: string) => string;
	role: (roles: PersonalRole[], helpsWith: string[]) => string;
}

export interface CalendarOptions {
	name: string;
	description?: string;
	/** The app's public origin, for links back to the boards. */
	origin: string;
	/** How often clients should look again. */
	refreshSeconds?: number;
	text: FeedText;
	/**
	 * Finished VEVENT texts by gathering and last change, kept by the caller across builds: a
	 * feed in which one date changed builds one event again, not all of them. `scope` names
	 * what else the text depends on (language, origin).
	 */
	eventCache?: { map: Map<string, string>; scope: string };
}

export const DEFAULT_REFRESH_SECONDS = 3600;
/** Subscription feeds show gatherings that ended at most this long ago, and all upcoming ones. */
export const FEED_PAST_DAYS = 28;

const PRODID = '//Buurtbord//Buurtbord//NL';
const DOMAIN = 'buurtbord';

/**
 * The UID of a gathering: its activity and the slot in the series it stands for. Neither ever
 * changes, not when the gathering is moved or cancelled, nor if its row is made again.
 */
export function gatheringUid(g: Pick<FeedGathering, 'activity_id' | 'occurrence_starts_at'>): string {
	return `${g.activity_id}-${compactUtc(g.occurrence_starts_at)}@${DOMAIN}`;
}

function compactUtc(instant: string): string {
	return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// VTIMEZONE blocks come from a copy of the tz database; a zone it lacks falls back to UTC.
const zoneBlocks = new Map<string, string | null>();
function vtimezone(zone: string): string | null {
	if (!zoneBlocks.has(zone)) {
		let block: string | null = null;
		try {
			block = getVtimezoneComponent(zone);
		} catch {
			block = null;
		}
		zoneBlocks.set(zone, block);
	}
	return zoneBlocks.get(zone)!;
}
const zoneFor = (zone: string) => (vtimezone(zone) ? zone : null);

/**
 * An instant with its wall-clock time in a zone, in the shape ical-generator reads for zoned
 * dates (it duck-types @date-fns/tz's TZDate). TZDate works out the zone's offset again for
 * every field it is asked for — most of a large feed's build time — so the offset is looked up
 * once per instant here (and remembered: feeds are rebuilt with mostly the same dates).
 */
const offsets = new Map<string, number>();
class WallClock extends Date {
	readonly internal: Date;
	constructor(instant: string, zone: string) {
		super(instant);
		const key = `${zone}|${instant}`;
		let offset = offsets.get(key);
		if (offset === undefined) {
			if (offsets.size >= 100_000) offsets.clear();
			offsets.set(key, (offset = tzOffset(zone, this)));
		}
		// Local wall-clock fields, read through the UTC getters of a shifted date.
		this.internal = new Date(this.getTime() + offset * 60_000);
	}
	withTimeZone(): this {
		return this;
	}
	tzComponents() {
		return { year: this.getFullYear(), month: this.getMonth(), date: this.getDate() };
	}
	override getFullYear() {
		return this.internal.getUTCFullYear();
	}
	override getMonth() {
		return this.internal.getUTCMonth();
	}
	override getDate() {
		return this.internal.getUTCDate();
	}
	override getHours() {
		return this.internal.getUTCHours();
	}
	override getMinutes() {
		return this.internal.getUTCMinutes();
	}
	override getSeconds() {
		return this.internal.getUTCSeconds();
	}
}

function newCalendar(options: CalendarOptions): ICalCalendar {
	const calendar = new ICalCalendar({
		prodId: PRODID,
		name: options.name,
		ttl: options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS
	});
	if (options.description) calendar.description(options.description);
	// No calendar-wide zone: DTSTAMP and LAST-MODIFIED stay in UTC, each event names its own
	// zone, and the generator adds one VTIMEZONE block per zone used.
	calendar.timezone({ name: null, generator: vtimezone });
	return calendar;
}

function latest(...instants: string[]): Date {
	return new Date(Math.max(...instants.map((i) => Date.parse(i))));
}

function location(g: Pick<FeedGathering, 'place_name' | 'place_address'>, a: FeedActivity): string | null {
	// A gathering moved to another place has its own name and address; the activity's address
	// would be wrong there.
	const own = g.place_name !== null || g.place_address !== null;
	const parts = own ? [g.place_name ?? a.place_name, g.place_address] : [a.place_name, a.place_address];
	return parts.filter(Boolean).join(', ') || null;
}

export function boardUrl(origin: string, gatheringId: string): string {
	return `${origin}/g/${gatheringId}`;
}

function description(entry: FeedEntry, options: CalendarOptions, link = boardUrl(options.origin, entry.gathering.id)): string {
	const { gathering: g, activity: a } = entry;
	const lines: string[] = [];
	if (entry.roles?.length) lines.push(options.text.role(entry.roles, entry.helpsWith ?? []));
	if (g.status === 'cancelled' && g.cancellation_reason) lines.push(options.text.reason(g.cancellation_reason));
	if (a.description) lines.push(a.description.length > 600 ? `${a.description.slice(0, 599)}…` : a.description);
	lines.push(options.text.cost(a));
	if (a.what_to_bring) lines.push(options.text.whatToBring(a.what_to_bring));
	lines.push(options.text.boardLink(link));
	return lines.join('\n\n');
}

/** Only waiting for a place: not also hosting or helping (those come anyway). */
export function onlyWaiting(roles: PersonalRole[] | undefined): boolean {
	return Boolean(roles?.includes('waitlist') && !roles.includes('host') && !roles.includes('helping'));
}

function summary(entry: FeedEntry, text: FeedText): string {
	const prefix = entry.gathering.status === 'cancelled' ? `${text.cancelled}: ` : onlyWaiting(entry.roles) ? `${text.waitlist}: ` : '';
	return prefix + entry.activity.title;
}

function addGathering(calendar: ICalCalendar, entry: FeedEntry, options: CalendarOptions, extra: { recurrenceId?: boolean } = {}): ICalEvent {
	const { gathering: g, activity: a } = entry;
	const zone = zoneFor(a.schedule_time_zone);
	const at = (instant: string) => (zone ? new WallClock(instant, zone) : new Date(instant));
	const changed = latest(g.updated_at, a.updated_at);
	const cancelled = g.status === 'cancelled';
	const waitlisted = onlyWaiting(entry.roles);
	const event = calendar.createEvent({
		id: extra.recurrenceId ? seriesUid(a.id) : gatheringUid(g),
		sequence: g.sequence,
		start: at(g.starts_at),
		end: at(g.ends_at),
		timezone: zone,
		// Without METHOD, DTSTAMP means "last revised" (RFC 5545 3.8.7.2): the same as LAST-MODIFIED.
		stamp: changed,
		lastModified: changed,
		summary: summary(entry, options.text),
		description: description(entry, options),
		location: location(g, a),
		url: boardUrl(options.origin, g.id),
		status: cancelled ? ICalEventStatus.CANCELLED : waitlisted ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
		// A cancelled date, or one they are only waiting for, does not block their time.
		transparency: cancelled || waitlisted ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE
	});
	if (extra.recurrenceId) event.recurrenceId(at(g.occurrence_starts_at));
	return event;
}

/** A gathering's VEVENT, folded, from the cache when nothing it shows has changed. */
function eventText(scratch: ICalCalendar, entry: FeedEntry, options: CalendarOptions, extra: { recurrenceId?: boolean } = {}): string {
	const { gathering: g, activity: a } = entry;
	const cache = options.eventCache;
	const key = cache
		? `${cache.scope}|${extra.recurrenceId ? 'r' : 'e'}|${g.id}|${g.updated_at}|${a.updated_at}|${entry.roles?.join() ?? ''}|${entry.helpsWith?.join() ?? ''}`
		: '';
	const hit = cache?.map.get(key);
	if (hit) return hit;
	const text = foldLines(addGathering(scratch, entry, options, extra).toString());
	if (cache) {
		if (cache.map.size >= 100_000) cache.map.clear();
		cache.map.set(key, text);
	}
	return text;
}

/** The calendar's properties, one VTIMEZONE per zone used, then the events. */
function assemble(options: CalendarOptions, zones: Iterable<string>, events: string[]): string {
	const head = newCalendar(options).toString().replace(/END:VCALENDAR$/, '');
	const blocks = [...new Set(zones)]
		.map((zone) => zoneFor(zone) && vtimezone(zone)!)
		.filter((block): block is string => Boolean(block))
		.map((block) => foldLines(block.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n').trim()) + '\r\n');
	return head + blocks.join('') + events.join('') + 'END:VCALENDAR\r\n';
}

/** Sorted by an instant, each parsed once (locale-aware string comparison was a large part of a big feed's build). */
function sortedByInstant<T>(items: T[], instant: (item: T) => string): T[] {
	return items
		.map((item) => [Date.parse(instant(item)), item] as const)
		.sort((x, y) => x[0] - y[0])
		.map(([, item]) => item);
}

/** The one-event-per-gathering form: subscription feeds and single downloads. */
export function buildCalendar(entries: FeedEntry[], options: CalendarOptions): string {
	const scratch = newCalendar(options);
	const sorted = sortedByInstant(entries, (e) => e.gathering.starts_at);
	return assemble(
		options,
		sorted.map((e) => e.activity.schedule_time_zone),
		sorted.map((entry) => eventText(scratch, entry, options))
	);
}

function seriesUid(activityId: string): string {
	return `${activityId}-series@${DOMAIN}`;
}

/**
 * The RRULE form, for comparison: one master VEVENT per activity with its schedule's RRULE
 * (from the first gathering in the window), an override (RECURRENCE-ID) for every moved or
 * cancelled date, EXDATE for a date of the rule inside the window that has no gathering, and
 * extra dates as events of their own.
 */
export function buildSeriesCalendar(series: { activity: FeedActivity; gatherings: FeedGathering[] }[], options: CalendarOptions): string {
	const scratch = newCalendar(options);
	const events: string[] = [];
	for (const { activity: a, gatherings } of series) {
		const inSeries = sortedByInstant(
			gatherings.filter((g) => !g.is_extra),
			(g) => g.occurrence_starts_at
		);
		const first = inSeries[0];
		for (const g of gatherings.filter((g) => g.is_extra)) events.push(eventText(scratch, { gathering: g, activity: a }, options));
		if (!first) continue;
		const zone = zoneFor(a.schedule_time_zone);
		const at = (instant: string) => (zone ? new WallClock(instant, zone) : new Date(instant));
		const changed = latest(a.updated_at, ...inSeries.map((g) => g.updated_at));
		const start = Date.parse(first.occurrence_starts_at);
		const durationMs = a.duration_minutes * 60_000;
		const rule = a.schedule_rrule + (a.schedule_until ? `;UNTIL=${a.schedule_until.replace(/-/g, '')}T235959Z` : '');
		const master = scratch.createEvent({
			id: seriesUid(a.id),
			sequence: 0,
			start: at(first.occurrence_starts_at),
			end: at(new Date(start + durationMs).toISOString()),
			timezone: zone,
			stamp: changed,
			lastModified: changed,
			summary: a.title,
			description: description({ gathering: { ...first, status: 'scheduled' }, activity: a }, options, `${options.origin}/a/${a.id}`),
			url: `${options.origin}/a/${a.id}`,
			location: location({ place_name: null, place_address: null }, a),
			repeating: `RRULE:${rule}${exdates(inSeries, a, zone)}`,
			status: ICalEventStatus.CONFIRMED
		});
		events.push(foldLines(master.toString()));
		for (const g of inSeries) {
			const moved = g.starts_at !== g.occurrence_starts_at || Date.parse(g.ends_at) - Date.parse(g.starts_at) !== durationMs;
			if (g.status === 'cancelled' || moved || g.place_name !== null || g.place_address !== null) {
				events.push(eventText(scratch, { gathering: g, activity: a }, options, { recurrenceId: true }));
			}
		}
	}
	return assemble(
		options,
		series.map((s) => s.activity.schedule_time_zone),
		events
	);
}

/**
 * Dates a weekly rule gives between the first and last gathering that have no row: they left
 * the series. (Only simple weekly rules are checked; other rules have no gaps the app makes.)
 */
function exdates(inSeries: FeedGathering[], a: FeedActivity, zone: string | null): string {
	const weekly = /^FREQ=WEEKLY(;INTERVAL=(\d+))?;BYDAY=[A-Z]{2}$/.exec(a.schedule_rrule);
	if (!weekly || inSeries.length < 2) return '';
	const step = 7 * Number(weekly[2] ?? 1) * 86_400_000;
	const missing: string[] = [];
	// Consecutive dates are one step apart (give or take a clock change); a wider gap lacks dates.
	for (let i = 1; i < inSeries.length; i++) {
		const previous = inSeries[i - 1]!.occurrence_starts_at;
		const steps = Math.round((Date.parse(inSeries[i]!.occurrence_starts_at) - Date.parse(previous)) / step);
		if (steps < 2) continue;
		const key = localKey(previous, zone);
		const day = Date.UTC(Number(key.slice(0, 4)), Number(key.slice(4, 6)) - 1, Number(key.slice(6, 8)));
		for (let k = 1; k < steps && k < 200; k++) {
			missing.push(new Date(day + k * step).toISOString().slice(0, 10).replace(/-/g, '') + key.slice(8));
		}
	}
	if (!missing.length) return '';
	return zone ? `\nEXDATE;TZID=${zone}:${missing.join(',')}` : `\nEXDATE:${missing.map((k) => `${k}Z`).join(',')}`;
}

function localKey(instant: string, zone: string | null): string {
	if (!zone) return compactUtc(instant).replace('Z', '');
	const d = new WallClock(instant, zone);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}T${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** A strong validator for a feed's bytes. */
export function feedEtag(body: string): string {
	return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Whether a conditional GET may be answered 304 (If-None-Match wins over If-Modified-Since). */
export function notModified(headers: { ifNoneMatch: string | null; ifModifiedSince: string | null }, etag: string, lastModified: Date): boolean {
	if (headers.ifNoneMatch !== null) {
		return headers.ifNoneMatch
			.split(',')
			.map((t) => t.trim().replace(/^W\//, ''))
			.some((t) => t === etag || t === '*');
	}
	if (headers.ifModifiedSince !== null) {
		const since = Date.parse(headers.ifModifiedSince);
		// HTTP dates have whole seconds.
		return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
	}
	return false;
}
