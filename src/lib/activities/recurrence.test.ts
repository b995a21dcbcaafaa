import { describe, expect, it } from 'vitest';
import {
	existsInZone,
	localToInstant,
	occurrences,
	scheduleSchema,
	toScheduleInput,
	toStoredSchedule,
	type ScheduleInput
} from './recurrence.ts';

const base: ScheduleInput = {
	pattern: 'weekly',
	weekday: 'TU',
	month_week: 1,
	start_date: '2026-10-13',
	start_time: '18:00',
	end_time: '20:30',
	until: '',
	time_zone: 'Europe/Amsterdam'
};

/** Local wall-clock "YYYY-MM-DD HH:MM" of each occurrence's start and end, in the zone. */
function local(schedule: ScheduleInput, from: string, options: { horizonDays?: number; minimum?: number } = {}) {
	const fmt = new Intl.DateTimeFormat('sv-SE', {
		timeZone: schedule.time_zone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	});
	return occurrences(toStoredSchedule(schedule), { from: new Date(from), ...options }).map(
		(o) => `${fmt.format(new Date(o.startsAt))}–${fmt.format(new Date(o.endsAt)).slice(11)}`
	);
}

describe('schedules people say out loud', () => {
	it.each([
		['weekly', { pattern: 'weekly' }, 'FREQ=WEEKLY;BYDAY=TU'],
		['every 2 weeks', { pattern: 'biweekly' }, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU'],
		['2nd Saturday', { pattern: 'monthly', weekday: 'SA', month_week: 2 }, 'FREQ=MONTHLY;BYDAY=2SA'],
		['last Friday', { pattern: 'monthly', weekday: 'FR', month_week: -1 }, 'FREQ=MONTHLY;BYDAY=-1FR'],
		['once', { pattern: 'once' }, 'FREQ=DAILY;COUNT=1']
	] as const)('%s becomes %s and reads back the same', (_, change, rrule) => {
		const input = { ...base, ...change } as ScheduleInput;
		const stored = toStoredSchedule(input);
		expect(stored.rrule).toBe(rrule);
		expect(stored.durationMinutes).toBe(150);
		expect(toScheduleInput(stored)).toEqual(input);
	});
});

describe('occurrences', () => {
	it.each<[string, Partial<ScheduleInput>, string, string[]]>([
		[
			'weekly on Tuesday, across the October clock change',
			{},
			'2026-10-19T00:00:00Z',
			['2026-10-20 18:00–20:30', '2026-10-27 18:00–20:30', '2026-11-03 18:00–20:30']
		],
		[
			'weekly on Sunday, across the March clock change',
			{ weekday: 'SU', start_date: '2027-03-07', start_time: '10:00', end_time: '12:00' },
			'2027-03-20T00:00:00Z',
			['2027-03-21 10:00–12:00', '2027-03-28 10:00–12:00', '2027-04-04 10:00–12:00']
		],
		[
			'every 2 weeks keeps to the weeks of the start date',
			{ pattern: 'biweekly' },
			'2026-10-14T00:00:00Z',
			['2026-10-27 18:00–20:30', '2026-11-10 18:00–20:30', '2026-11-24 18:00–20:30']
		],
		[
			'the 2nd Saturday of every month',
			{ pattern: 'monthly', weekday: 'SA', month_week: 2, start_date: '2026-11-01', start_time: '10:00', end_time: '13:00' },
			'2026-11-01T00:00:00Z',
			['2026-11-14 10:00–13:00', '2026-12-12 10:00–13:00', '2027-01-09 10:00–13:00']
		],
		[
			'the last Friday, also in months with five Fridays',
			{ pattern: 'monthly', weekday: 'FR', month_week: -1, start_date: '2027-01-01', start_time: '19:00', end_time: '21:00' },
			'2027-01-01T00:00:00Z',
			['2027-01-29 19:00–21:00', '2027-02-26 19:00–21:00', '2027-03-26 19:00–21:00']
		],
		['once', { pattern: 'once', start_date: '2026-12-05' }, '2026-11-01T00:00:00Z', ['2026-12-05 18:00–20:30']]
	])('%s', (_, change, from, expected) => {
		expect(local({ ...base, ...change }, from, { horizonDays: 1, minimum: 3 })).toEqual(expected);
	});

	it('keeps 18:00 local while the UTC time moves with daylight saving', () => {
		const [before, after] = occurrences(toStoredSchedule(base), { from: new Date('2026-10-19T00:00:00Z'), horizonDays: 8 });
		expect(before!.startsAt).toBe('2026-10-20T16:00:00.000Z');
		expect(after!.startsAt).toBe('2026-10-27T17:00:00.000Z');
	});

	it('materialises twelve weeks ahead, and at least three dates of a monthly series', () => {
		// 84 days from Tuesday 13 October: twelve Tuesdays, the last on 29 December.
		const weekly = occurrences(toStoredSchedule(base), { from: new Date('2026-10-13T00:00:00Z') });
		expect(weekly).toHaveLength(12);
		expect(weekly.at(-1)!.startsAt).toBe('2026-12-29T17:00:00.000Z');
		const monthly = toStoredSchedule({ ...base, pattern: 'monthly', weekday: 'SA', month_week: 2 });
		expect(occurrences(monthly, { from: new Date('2026-10-13T00:00:00Z') }).length).toBeGreaterThanOrEqual(3);
	});

	it('stops at the end date and starts no earlier than the start date', () => {
		expect(local({ ...base, until: '2026-10-27' }, '2026-01-01T00:00:00Z', { horizonDays: 365 })).toEqual([
			'2026-10-13 18:00–20:30',
			'2026-10-20 18:00–20:30',
			'2026-10-27 18:00–20:30'
		]);
	});

	it('includes a gathering that is still going on', () => {
		expect(local(base, '2026-10-13T17:00:00Z', { horizonDays: 1, minimum: 1 })).toEqual(['2026-10-13 18:00–20:30']);
	});

	it('places the same local time in another zone', () => {
		const [first] = occurrences(toStoredSchedule({ ...base, time_zone: 'America/New_York' }), {
			from: new Date('2026-10-13T00:00:00Z'),
			minimum: 1,
			horizonDays: 1
		});
		expect(first!.startsAt).toBe('2026-10-13T22:00:00.000Z');
	});
});

describe('times in the zone', () => {
	it('02:30 does not exist on the spring-forward night in Amsterdam, but does on other nights', () => {
		expect(existsInZone('2027-03-28', '02:30', 'Europe/Amsterdam')).toBe(false);
		expect(existsInZone('2027-03-21', '02:30', 'Europe/Amsterdam')).toBe(true);
		expect(localToInstant('2027-03-28', '18:00', 'Europe/Amsterdam').toISOString()).toBe('2027-03-28T16:00:00.000Z');
	});
});

describe('bad schedules are refused with a reason', () => {
	const errors = (change: Record<string, unknown>) => {
		const result = scheduleSchema.safeParse({ ...base, ...change });
		return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));
	};
	it.each([
		[{ end_time: '17:00' }, { end_time: 'error_end_before_start' }],
		[{ end_time: '18:00' }, { end_time: 'error_end_before_start' }],
		[{ until: '2026-10-01' }, { until: 'error_until_before_start' }],
		[{ until: '2040-01-01' }, { until: 'error_until_too_far' }],
		[{ start_date: '2026-02-30' }, { start_date: 'error_date' }],
		[{ start_time: '25:00' }, { start_time: 'error_time' }],
		[{ start_date: '2027-03-28', start_time: '02:30', end_time: '04:00', weekday: 'SU' }, { start_time: 'error_time_not_in_zone' }],
		[{ time_zone: 'Mars/Olympus' }, { time_zone: 'error_time_zone' }],
		[{ pattern: 'hourly' }, { pattern: 'error_schedule_pattern' }],
		[{ weekday: 'XX' }, { weekday: 'error_schedule_weekday' }],
		[{ month_week: '9' }, { month_week: 'error_schedule_pattern' }]
	])('%j', (change, expected) => {
		expect(errors(change)).toEqual(expected);
	});
});
