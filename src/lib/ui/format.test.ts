import { describe, expect, it } from 'vitest';
import { daysFrom, formatDay, formatTime, gatheringWhen } from './format.ts';

describe('formatting', () => {
	it('shows local wall-clock time on both sides of a daylight-saving change', () => {
		// 18:00 in Amsterdam is 16:00 UTC in summer and 17:00 UTC in winter.
		expect(formatTime('2026-10-20T16:00:00Z', 'nl', 'Europe/Amsterdam')).toBe('18:00');
		expect(formatTime('2026-10-27T17:00:00Z', 'nl', 'Europe/Amsterdam')).toBe('18:00');
	});

	it('names the day in the chosen language', () => {
		expect(formatDay('2026-11-24', 'nl')).toBe('dinsdag 24 november');
		expect(formatDay('2026-11-24', 'en')).toBe('Tuesday 24 November');
	});

	it('counts calendar days, also across a clock change', () => {
		expect(daysFrom('2026-10-24', '2026-10-26')).toBe(2);
		expect(daysFrom('2026-11-22', '2026-11-22')).toBe(0);
	});

	it("heads a gathering's page with its day and times in its zone and language", () => {
		expect(gatheringWhen('2026-11-24T17:00:00Z', '2026-11-24T20:00:00Z', 'nl', 'Europe/Amsterdam')).toEqual({
			starts_at: '2026-11-24T17:00:00Z',
			ends_at: '2026-11-24T20:00:00Z',
			day: 'dinsdag 24 november',
			start: '18:00',
			end: '21:00'
		});
		// Late in the evening in New York is the next day in UTC: the day is the zone's.
		expect(gatheringWhen('2026-11-25T02:00:00Z', '2026-11-25T03:00:00Z', 'en', 'America/New_York').day).toBe('Tuesday 24 November');
	});
});
