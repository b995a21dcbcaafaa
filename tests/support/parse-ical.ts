import ICAL from 'ical.js';

/**
 * Reads a feed with ical.js — a parser independent of the one that wrote it — and gives the
 * dates as a calendar app would show them: the instant, and the local wall-clock time in the
 * event's own zone (from the feed's VTIMEZONE, never from this machine's zone).
 */
export interface ParsedTime {
	/** The instant, ISO in UTC. */
	utc: string;
	/** Local date and time in the event's zone, `YYYY-MM-DD HH:MM`. */
	local: string;
	tzid: string;
}

export interface ParsedEvent {
	uid: string;
	sequence: number;
	status: string | null;
	summary: string;
	description: string;
	location: string | null;
	url: string | null;
	dtstamp: string;
	lastModified: string | null;
	start: ParsedTime;
	end: ParsedTime;
	recurrenceId: ParsedTime | null;
	rrule: string | null;
}

export interface ParsedFeed {
	raw: string;
	props: Record<string, string>;
	timezones: string[];
	events: ParsedEvent[];
	/** Occurrences of every event and series until `until`, overrides applied, by start. */
	expand(until: Date): (ParsedEvent & { occurrence: ParsedTime })[];
}

function time(t: ICAL.Time): ParsedTime {
	const pad = (n: number) => String(n).padStart(2, '0');
	return {
		utc: t.toJSDate().toISOString(),
		local: `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`,
		tzid: t.zone?.tzid ?? (t.isDate ? 'date' : 'floating')
	};
}

function toEvent(component: ICAL.Component): ParsedEvent {
	const event = new ICAL.Event(component);
	const text = (name: string) => {
		const v = component.getFirstPropertyValue(name);
		return v === null || v === undefined ? null : String(v);
	};
	const stamp = component.getFirstPropertyValue('dtstamp') as ICAL.Time;
	const modified = component.getFirstPropertyValue('last-modified') as ICAL.Time | null;
	const rrule = component.getFirstPropertyValue('rrule');
	return {
		uid: event.uid,
		sequence: event.sequence,
		status: text('status'),
		summary: event.summary,
		description: event.description ?? '',
		location: event.location ?? null,
		url: text('url'),
		dtstamp: stamp.toJSDate().toISOString(),
		lastModified: modified ? modified.toJSDate().toISOString() : null,
		start: time(event.startDate),
		end: time(event.endDate),
		recurrenceId: event.recurrenceId ? time(event.recurrenceId) : null,
		rrule: rrule ? String(rrule) : null
	};
}

export function parseFeed(raw: string): ParsedFeed {
	const root = new ICAL.Component(ICAL.parse(raw));
	const timezones = root.getAllSubcomponents('vtimezone');
	for (const tz of timezones) ICAL.TimezoneService.register(tz);
	const props = Object.fromEntries(root.getAllProperties().map((p) => [p.name.toUpperCase(), String(p.getFirstValue())]));
	const components = root.getAllSubcomponents('vevent');
	const events = components.map(toEvent);
	return {
		raw,
		props,
		timezones: timezones.map((tz) => String(tz.getFirstPropertyValue('tzid'))),
		events,
		expand(until: Date) {
			const out: (ParsedEvent & { occurrence: ParsedTime })[] = [];
			const masters = components.filter((c) => !c.hasProperty('recurrence-id'));
			for (const component of masters) {
				const event = new ICAL.Event(component);
				const parsed = toEvent(component);
				if (!event.isRecurring()) {
					out.push({ ...parsed, occurrence: parsed.start });
					continue;
				}
				for (const exception of components.filter((c) => c.hasProperty('recurrence-id') && c.getFirstPropertyValue('uid') === event.uid)) {
					event.relateException(exception);
				}
				const iterator = event.iterator();
				for (let next = iterator.next(); next && next.toJSDate() <= until; next = iterator.next()) {
					const details = event.getOccurrenceDetails(next);
					const item = toEvent(details.item.component);
					out.push({ ...item, start: time(details.startDate), end: time(details.endDate), occurrence: time(details.recurrenceId) });
				}
			}
			return out.sort((a, b) => a.start.utc.localeCompare(b.start.utc));
		}
	};
}

/** Every physical line of a feed fits in 75 octets (RFC 5545 3.1) and ends in CRLF. */
export function linesFolded(raw: string): boolean {
	if (!raw.endsWith('END:VCALENDAR\r\n')) return false;
	const lines = raw.slice(0, -2).split('\r\n');
	return lines.every((line) => Buffer.byteLength(line, 'utf8') <= 75 && !line.includes('\n'));
}
