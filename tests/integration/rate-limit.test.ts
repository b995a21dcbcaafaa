import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consume, limits } from '../../src/lib/server/rate-limit.ts';

describe('rate limits (counted in PostgreSQL)', () => {
	it('let attempts through up to the limit, then refuse with a wait time', async () => {
		const address = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
		for (let i = 0; i < limits.magicLinkPerIp.points; i++) {
			expect(await consume(['magicLinkPerIp', address])).toEqual({ ok: true });
		}
		const refused = await consume(['magicLinkPerIp', address]);
		expect(refused.ok).toBe(false);
		if (!refused.ok) {
			expect(refused.retryAfterSeconds).toBeGreaterThan(0);
			expect(refused.retryAfterSeconds).toBeLessThanOrEqual(limits.magicLinkPerIp.duration);
		}
		// Another address is not affected.
		expect(await consume(['magicLinkPerIp', `${address}-other`])).toEqual({ ok: true });
	});

	it('count simultaneous attempts exactly', async () => {
		const key = randomUUID();
		const results = await Promise.all(Array.from({ length: 40 }, () => consume(['joinPerIp', key])));
		expect(results.filter((r) => r.ok)).toHaveLength(limits.joinPerIp.points);
	});

	it('refuse when any one of several keys is over its limit', async () => {
		const email = `${randomUUID()}@example.org`;
		for (let i = 0; i < limits.magicLinkPerEmail.points; i++) await consume(['magicLinkPerEmail', email]);
		expect((await consume(['magicLinkPerIp', randomUUID()], ['magicLinkPerEmail', email])).ok).toBe(false);
	});
});
