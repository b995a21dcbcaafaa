import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, jwksOf, parseSigningKey } from './signing-key.ts';
import { mintMemberToken, signDataApiToken, verifyDataApiToken } from './tokens.ts';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';

describe('data API tokens with the legacy shared secret', () => {
	it('carries the member as sub and the authenticated role', async () => {
		const token = await mintMemberToken(secret, '00000000-0000-4000-8000-000000000001', 60);
		const claims = await verifyDataApiToken(secret, token);
		expect(claims).toMatchObject({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' });
		expect(claims.exp! - claims.iat!).toBe(60);
		expect(decodeProtectedHeader(token).alg).toBe('HS256');
	});

	it('is refused with another secret', async () => {
		const token = await signDataApiToken(secret, { role: 'anon' }, 60);
		await expect(verifyDataApiToken(`${secret}-other`, token)).rejects.toThrow();
	});
});

describe('data API tokens with a signing key', () => {
	it('are signed ES256 with the key id, and verify against the published key only', async () => {
		const key = await generateSigningKey();
		const token = await mintMemberToken(key, '00000000-0000-4000-8000-000000000002', 60, 'https://buurt.example');
		expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: parseSigningKey(key).kid });
		expect(await verifyDataApiToken(key, token)).toMatchObject({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000002', iss: 'https://buurt.example' });
		await expect(verifyDataApiToken(await generateSigningKey(), token)).rejects.toThrow();
	});

	it('publish only the public half of the key', async () => {
		const key = await generateSigningKey();
		const { keys } = await jwksOf(key);
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: parseSigningKey(key).kid });
		expect(keys[0]).not.toHaveProperty('d');
	});

	it('refuse a key that is not a private P-256 key', () => {
		expect(() => parseSigningKey('{"kty":"EC","crv":"P-256"}')).toThrow();
		expect(() => parseSigningKey('not json')).toThrow();
	});
});
