import { TZDate } from '@date-fns/tz';
import * as rruleModule from 'rrule';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, monthWeeks, patterns, weekdays, type Pattern, type Weekday } from './vocabulary.ts';

/**
 * Schedules people say out loud — "every week on Tuesday 18:00–20:30", "every 2 weeks",
 * "the 2nd Saturday of every month", "once" — stored as an RRULE (without DTSTART) plus a
 * local start (date and wall-clock time) in an IANA time zone.
 *
 * Occurrences are computed in floating local time with rrule and only then placed in the
 * zone, so a gathering stays at 18:00 local time on both sides of a daylight-saving change.
 */
// rrule is CommonJS under Node and ESM in bundles; take its exports from whichever this is.
const { rrulestr } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

export { DEFAULT_TIME_ZONE, monthWeeks, patterns, weekdays, type Pattern, type Weekday };
/** Gatherings are materialised this far ahead (and at least three of them). */
export const HORIZON_DAYS = 12 * 7;
export const MIN_UPCOMING = 3;
/** A schedule may not run for more than this many years. */
const MAX_YEARS = 5;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'error_date');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'error_time');

export const scheduleSchema = z
	.object({
		pattern: z.enum(patterns, { message: 'error_schedule_pattern' }),
		weekday: z.enum(weekdays, { message: 'error_schedule_weekday' }),
		month_week: z.coerce
			.number({ message: 'error_schedule_pattern' })
			.refine((n) => (monthWeeks as readonly number[]).includes(n), 'error_schedule_pattern')
			.default(1),
		start_date: date,
		start_time: time,
		end_time: time,
		until: z.union([z.literal(''), date]).default(''),
		time_zone: z.string().default(DEFAULT_TIME_ZONE)
	})
	.superRefine((s, ctx) => {
		if (!isTimeZone(s.time_zone)) ctx.addIssue({ code: 'custom', path: ['time_zone'], message: 'error_time_zone' });
		if (!isRealDate(s.start_date)) ctx.addIssue({ code: 'custom', path: ['start_date'], message: 'error_date' });
		const timesValid = time.safeParse(s.start_time).success && time.safeParse(s.end_time).success;
		if (timesValid && s.end_time <= s.start_time) ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'error_end_before_start' });
		if (s.until) {
			if (!isRealDate(s.until)) ctx.addIssue({ code: 'custom', path: ['until'], message: 'error_date' });
			else if (s.until < s.start_date) ctx.addIssue({ code: 'custom', path: ['until'], message: 'error_until_before_start' });
			else if (Number(s.until.slice(0, 4)) - Number(s.start_date.slice(0, 4)) > MAX_YEARS) {
				ctx.addIssue({ code: 'custom', path: ['until'], message: 'error_until_too_far' });
			}
		}
		if (timesValid && isTimeZone(s.time_zone) && isRealDate(s.start_date) && !existsInZone(s.start_date, s.start_time, s.time_zone)) {
			ctx.addIssue({ code: 'custom', path: ['start_time'], message: 'error_time_not_in_zone' });
		}
	});
export type ScheduleInput = z.infer<typeof scheduleSchema>;

/** What the database keeps of a schedule. */
export interface StoredSchedule {
	rrule: string;
	/** Local wall-clock start of the series, `YYYY-MM-DDTHH:MM`. */
	startsAtLocal: string;
	timeZone: string;
	durationMinutes: number;
	/** Last local date on which a gathering may fall, `YYYY-MM-DD`, or null. */
	until: string | null;
}

export function toStoredSchedule(s: ScheduleInput): StoredSchedule {
	const rrule = {
		weekly: `FREQ=WEEKLY;BYDAY=${s.weekday}`,
		biweekly: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${s.weekday}`,
		monthly: `FREQ=MONTHLY;BYDAY=${s.month_week}${s.weekday}`,
		once: 'FREQ=DAILY;COUNT=1'
	}[s.pattern];
	return {
		rrule,
		startsAtLocal: `${s.start_date}T${s.start_time}`,
		timeZone: s.time_zone,
		durationMinutes: minutes(s.end_time) - minutes(s.start_time),
		until: s.pattern === 'once' ? null : s.until || null
	};
}

/** The form values for a stored schedule, for editing it. */
export function toScheduleInput(stored: StoredSchedule): ScheduleInput {
	const [startDate, startTime] = stored.startsAtLocal.split('T') as [string, string];
	const end = minutes(startTime.slice(0, 5)) + stored.durationMinutes;
	const byday = /BYDAY=(-?\d)?(MO|TU|WE|TH|FR|SA|SU)/.exec(stored.rrule);
	const pattern: Pattern = stored.rrule.includes('COUNT=1')
		? 'once'
		: stored.rrule.startsWith('FREQ=MONTHLY')
			? 'monthly'
			: stored.rrule.includes('INTERVAL=2')
				? 'biweekly'
				: 'weekly';
	return {
		pattern,
		weekday: (byday?.[2] as Weekday | undefined) ?? weekdayOf(startDate),
		month_week: byday?.[1] ? Number(byday[1]) : 1,
		start_date: startDate,
		start_time: startTime.slice(0, 5),
		end_time: `${String(Math.floor(end / 60) % 24).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`,
		until: stored.until ?? '',
		time_zone: stored.timeZone
	};
}

export interface Occurrence {
	/** The slot in the series, as an instant: stable, calendar feeds key on it. */
	occurrenceStartsAt: string;
	startsAt: string;
	endsAt: string;
}

/**
 * The occurrences of a schedule that end after `from`: all of them up to `from + horizon`,
 * and at least `minimum` of them if the series goes on that long.
 */
export function occurrences(
	schedule: StoredSchedule,
	options: { from: Date; horizonDays?: number; minimum?: number }
): Occurrence[] {
	const horizonDays = options.horizonDays ?? HORIZON_DAYS;
	const minimum = options.minimum ?? MIN_UPCOMING;
	const rule = rrulestr(`RRULE:${schedule.rrule}${untilPart(schedule.until)}`, {
		dtstart: floating(schedule.startsAtLocal)
	});
	// Search a day either side in floating time; exact bounds are applied to real instants.
	const searchFrom = new Date(floatingOf(options.from, schedule.timeZone).getTime() - 86_400_000 - schedule.durationMinutes * 60_000);
	const horizonEnd = new Date(options.from.getTime() + horizonDays * 86_400_000);
	const found: Occurrence[] = [];
	rule.all((local, index) => {
		if (index > 2000) return false;
		if (local < searchFrom) return true;
		const occurrence = place(local, schedule);
		if (Date.parse(occurrence.endsAt) <= options.from.getTime()) return true;
		if (Date.parse(occurrence.startsAt) > horizonEnd.getTime() && found.length >= minimum) return false;
		found.push(occurrence);
		return true;
	});
	return found;
}

/** One local wall-clock slot placed in the zone. */
function place(local: Date, schedule: StoredSchedule): Occurrence {
	const start = new TZDate(
		local.getUTCFullYear(),
		local.getUTCMonth(),
		local.getUTCDate(),
		local.getUTCHours(),
		local.getUTCMinutes(),
		schedule.timeZone
	);
	const startsAt = new Date(start.getTime()).toISOString();
	// The end is the same wall-clock duration later, so a dinner is 18:00–20:30 on every date.
	const localEnd = new Date(local.getTime() + schedule.durationMinutes * 60_000);
	const end = new TZDate(
		localEnd.getUTCFullYear(),
		localEnd.getUTCMonth(),
		localEnd.getUTCDate(),
		localEnd.getUTCHours(),
		localEnd.getUTCMinutes(),
		schedule.timeZone
	);
	return { occurrenceStartsAt: startsAt, startsAt, endsAt: new Date(end.getTime()).toISOString() };
}

/** The instant of a local wall-clock time in a zone (times in a spring-forward gap move on). */
export function localToInstant(localDate: string, localTime: string, timeZone: string): Date {
	const [y, mo, d] = localDate.split('-').map(Number) as [number, number, number];
	const [h, mi] = localTime.split(':').map(Number) as [number, number];
	return new Date(new TZDate(y, mo - 1, d, h, mi, timeZone).getTime());
}

/** Whether a local time exists on that date in the zone (not skipped by a clock change). */
export function existsInZone(localDate: string, localTime: string, timeZone: string): boolean {
	const instant = localToInstant(localDate, localTime, timeZone);
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
	return parts === localTime;
}

export function isTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return zone.includes('/') || zone === 'UTC';
	} catch {
		return false;
	}
}

/** A calendar date that exists (not 2026-02-30), written as YYYY-MM-DD. */
export function isRealDate(value: string): boolean {
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function minutes(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number) as [number, number];
	return h * 60 + m;
}

function weekdayOf(isoDate: string): Weekday {
	return weekdays[(new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7]!;
}

/** A local wall-clock time as a "floating" Date (its UTC fields are the local fields). */
function floating(local: string): Date {
	return new Date(`${local.length === 16 ? local : local.slice(0, 16)}:00Z`);
}

function floatingOf(instant: Date, timeZone: string): Date {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(instant);
	const get = (type: string) => parts.find((p) => p.type === type)!.value;
	return new Date(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00Z`);
}

function untilPart(until: string | null): string {
	// Inclusive: any time on the last local date.
	return until ? `;UNTIL=${until.replaceAll('-', '')}T235959Z` : '';
}
