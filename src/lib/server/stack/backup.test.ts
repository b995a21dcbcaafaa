import { describe, expect, it } from 'vitest';
import { firstWalOf, walSegmentsBetween } from './backup.ts';

describe('the WAL a backup needs', () => {
	it('reads the first segment from the backup label', () => {
		const label = 'START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000080\n';
		expect(firstWalOf(label)).toBe('000000010000000000000002');
		expect(() => firstWalOf('CHECKPOINT LOCATION: 0/2000080')).toThrow(/no start WAL/);
	});

	it('lists every segment from the first to the last, across a log id', () => {
		expect(walSegmentsBetween('000000010000000000000002', '000000010000000000000002', 256)).toEqual(['000000010000000000000002']);
		expect(walSegmentsBetween('0000000100000000000000FE', '000000010000000100000001', 256)).toEqual([
			'0000000100000000000000FE',
			'0000000100000000000000FF',
			'000000010000000100000000',
			'000000010000000100000001'
		]);
	});
});
