import { describe, expect, it } from 'vitest';
import { groupByLocalDay, type AgendaGathering } from './agenda.ts';
import { localDate } from './format.ts';

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
		capacity: 12
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
