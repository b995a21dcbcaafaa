import { describe, expect, it } from 'vitest';
import { bodySizeLimit } from './too-large.ts';

describe('bodySizeLimit', () => {
	it('reads BODY_SIZE_LIMIT as adapter-node does', () => {
		expect(bodySizeLimit(undefined)).toBe(512 * 1024);
		expect(bodySizeLimit('512K')).toBe(512 * 1024);
		expect(bodySizeLimit('2m')).toBe(2 * 1024 ** 2);
		expect(bodySizeLimit('1G')).toBe(1024 ** 3);
		expect(bodySizeLimit('1000')).toBe(1000);
		expect(bodySizeLimit('Infinity')).toBe(Infinity);
	});
	it('cannot read what adapter-node cannot read either (it then refuses to start)', () => {
		expect(bodySizeLimit('lots')).toBeNaN();
		expect(bodySizeLimit('5 MB')).toBeNaN();
	});
});
