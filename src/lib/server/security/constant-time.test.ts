import { describe, expect, it } from 'vitest';
import { safeEqual } from './constant-time.ts';

describe('safeEqual', () => {
	it('is true for equal secrets', () => {
		expect(safeEqual('K7Q2M9XD3F', 'K7Q2M9XD3F')).toBe(true);
		expect(safeEqual('', '')).toBe(true);
	});

	it('is false for unequal secrets of the same length', () => {
		expect(safeEqual('K7Q2M9XD3F', 'K7Q2M9XD3G')).toBe(false);
		expect(safeEqual('a'.repeat(43), 'b'.repeat(43))).toBe(false);
	});

	it('is false, without throwing, for different lengths', () => {
		expect(safeEqual('K7Q2M9XD3F', 'K7Q2M9XD3')).toBe(false);
		expect(safeEqual('token', '')).toBe(false);
		expect(safeEqual('é', 'e')).toBe(false);
	});
});
