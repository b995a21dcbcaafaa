import { describe, expect, it } from 'vitest';
import { formatInviteCode, generateInviteCode, INVITE_CODE_LENGTH, normalizeInviteCode } from './invite-code.ts';

describe('invite codes', () => {
	it('are ten characters of an alphabet without look-alikes', () => {
		for (let i = 0; i < 200; i++) {
			const code = generateInviteCode();
			expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
		}
	});

	it('differ from one another', () => {
		const codes = new Set(Array.from({ length: 1000 }, () => generateInviteCode()));
		expect(codes.size).toBe(1000);
	});

	it('use every character about equally often', () => {
		const counts = new Map<string, number>();
		for (let i = 0; i < 3200; i++) for (const c of generateInviteCode()) counts.set(c, (counts.get(c) ?? 0) + 1);
		expect(counts.size).toBe(32);
		// 32,000 characters over 32 symbols: about 1,000 each.
		for (const n of counts.values()) expect(n).toBeGreaterThan(800);
	});

	it('read back however they were typed', () => {
		expect(normalizeInviteCode('k7q2m-9xd3f')).toBe('K7Q2M9XD3F');
		expect(normalizeInviteCode(' K7Q2M 9XD3F ')).toBe('K7Q2M9XD3F');
		expect(normalizeInviteCode('O0IL1-ABCDE')).toBe('00111ABCDE');
	});

	it.each(['', 'K7Q2M9XD3', 'K7Q2M9XD3FF', 'K7Q2M9XD3U', '<script>aa', 'ÄÖÜ1234567'])('refuse %j', (input) => {
		expect(normalizeInviteCode(input)).toBeNull();
	});

	it('format as two groups of five', () => {
		expect(formatInviteCode('K7Q2M9XD3F')).toBe('K7Q2M-9XD3F');
		expect(INVITE_CODE_LENGTH).toBe(10);
	});
});
