import { describe, expect, it } from 'vitest';
import { localPathSchema } from './schemas.ts';

describe('localPathSchema', () => {
	it.each(['/', '/join/abc', '/?lang=en'])('accepts %s', (path) => {
		expect(localPathSchema.parse(path)).toBe(path);
	});
	it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'relative', '/a b'])('refuses %s', (path) => {
		expect(localPathSchema.safeParse(path).success).toBe(false);
	});
});
