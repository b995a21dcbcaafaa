import { describe, expect, it } from 'vitest';
import { agendaMarks, groupByLocalDay, matchesFilter, withGaps, type AgendaGathering } from './agenda.ts';
import { withQuietRuns } from './quiet-days.ts';
import { localDate } from '../ui/format.ts';

const gathering = (id: string, starts_at: string): AgendaGathering => ({
	id: `00000000-0000-4000-8000-${id.padStart(12, '0')}`,
	starts_at,
	ends_at: starts_at,
	status: 'scheduled',
	place_name: null,
	activity: {
		id: '00000000-0000-4000-8000-0000000000b1',
		title: 'Dinsdagdiner',
		kind: 'shared_dinner',
		place_name: 'Buurthuis',
		capacity: 12,
		cost_kind: 'free',
		child_friendly: false,
		wheelchair_accessible: true,
		languages: ['nl'],
		schedule_time_zone: 'Europe/Amsterdam'
	}
});

describe('localDate', () => {
	it('uses the calendar day of the time zone, not of UTC', () => {
		// 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time, UTC+2).
		expect(localDate('2026-03-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2026-04-01');
		expect(localDate('2026-03-31T23:30:00Z', 'America/New_York')).toBe('2026-03-31');
	});
});

describe('groupByLocalDay', () => {
	it('groups by local day, soonest first, whatever the input order', () => {
		const days = groupByLocalDay(
			[
				gathering('3', '2026-10-25T17:00:00Z'),
				gathering('1', '2026-10-24T08:00:00Z'),
				gathering('2', '2026-10-24T22:30:00Z') // 00:30 on the 25th in Amsterdam (UTC+2)
			],
			'Europe/Amsterdam'
		);
		expect(days.map((d) => [d.date, d.gatherings.map((g) => g.id.slice(-1))])).toEqual([
			['2026-10-24', ['1']],
			['2026-10-25', ['2', '3']]
		]);
	});

	it('returns no days for no gatherings', () => {
		expect(groupByLocalDay([], 'Europe/Amsterdam')).toEqual([]);
	});
});

describe('agenda filters', () => {
	const zone = 'Europe/Amsterdam';
	const tuesdayEvening = gathering('1', '2026-11-24T17:00:00Z'); // 18:00
	const saturdayMorning = { ...gathering('2', '2026-11-28T09:00:00Z'), activity: { ...gathering('2', '').activity, cost_kind: 'price' as const, child_friendly: true, languages: ['nl', 'ar'] } };
	it.each([
		[{ evening: '1' as const }, ['1']],
		[{ weekend: '1' as const }, ['2']],
		[{ free: '1' as const }, ['1']],
		[{ children: '1' as const }, ['2']],
		[{ wheelchair: '1' as const }, ['1', '2']],
		[{ lang: 'ar' }, ['2']],
		[{}, ['1', '2']]
	])('%j', (filter, ids) => {
		expect([tuesdayEvening, saturdayMorning].filter((g) => matchesFilter(g, filter, zone)).map((g) => g.id.slice(-1))).toEqual(ids);
	});
});

describe('gaps', () => {
	it('shows every day of the next two weeks, marking empty days and free evenings', () => {
		const days = withGaps(groupByLocalDay([gathering('1', '2026-11-24T09:00:00Z')], 'Europe/Amsterdam'), '2026-11-22', 'Europe/Amsterdam');
		expect(days).toHaveLength(14);
		expect(days[0]).toEqual({ date: '2026-11-22', gatherings: [], eveningFree: true });
		expect(days[2]!.gatherings).toHaveLength(1);
		expect(days[2]!.eveningFree).toBe(true);
		const evening = withGaps(groupByLocalDay([gathering('1', '2026-11-24T18:00:00Z')], 'Europe/Amsterdam'), '2026-11-22', 'Europe/Amsterdam');
		expect(evening[2]!.eveningFree).toBe(false);
	});
});

describe('withQuietRuns', () => {
	it('keeps days with something on and makes each run of quiet days one line', () => {
		const on = (date: string) => ({ date, gatherings: [gathering(date, `${date}T17:00:00Z`)] });
		const quiet = (date: string) => ({ date, gatherings: [] });
		const lines = withQuietRuns([quiet('2026-12-07'), quiet('2026-12-08'), on('2026-12-09'), quiet('2026-12-10'), on('2026-12-11'), quiet('2026-12-12'), quiet('2026-12-13')]);
		expect(lines.map((l) => ('day' in l ? l.day.date : `${l.quiet.from}..${l.quiet.to}`))).toEqual([
			'2026-12-07..2026-12-08',
			'2026-12-09',
			'2026-12-10..2026-12-10',
			'2026-12-11',
			'2026-12-12..2026-12-13'
		]);
		expect(withQuietRuns([])).toEqual([]);
	});
});

describe('agendaMarks', () => {
	it('gives each date its places left (none without a capacity) and the person’s own answer', () => {
		const marks = agendaMarks(
			[{ id: 'a' }, { id: 'b' }, { id: 'c' }],
			new Map([
				['a', 0],
				['b', 4]
			]),
			[{ gathering_id: 'b', status: 'waitlist' }, { gathering_id: 'elsewhere', status: 'going' }]
		);
		expect(marks).toEqual({
			a: { placesLeft: 0, mine: null },
			b: { placesLeft: 4, mine: 'waitlist' },
			c: { placesLeft: null, mine: null }
		});
	});
});
