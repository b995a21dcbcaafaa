import { describe, expect, it } from 'vitest';
import { mintMemberToken, signDataApiToken, verifyDataApiToken } from './tokens.ts';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';

describe('data API tokens', () => {
	it('carries the member as sub and the authenticated role', async () => {
		const token = await mintMemberToken(secret, '00000000-0000-4000-8000-000000000001', 60);
		const claims = await verifyDataApiToken(secret, token);
		expect(claims).toMatchObject({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' });
		expect(claims.exp! - claims.iat!).toBe(60);
	});

	it('is refused with another secret', async () => {
		const token = await signDataApiToken(secret, { role: 'anon' }, 60);
		await expect(verifyDataApiToken(`${secret}-other`, token)).rejects.toThrow();
	});
});
