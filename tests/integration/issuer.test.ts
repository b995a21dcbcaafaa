import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { issuerDocument, publishedKeys } from '../../src/lib/server/auth/issuer.ts';
import { mintMemberToken } from '../../src/lib/server/auth/tokens.ts';
import { dataApiConfig } from '../../src/lib/server/config.ts';
import { anonDataClient, memberDataClient } from '../../src/lib/server/db/client.ts';
import { inject } from 'vitest';
import { createMember } from './fixtures.ts';

/**
 * The embedded stack signs members' tokens as Supabase's third-party auth expects: with the
 * app's own key (ES256, `kid`), published at /.well-known; PostgREST trusts only that key's
 * public half (a JWKS), as the Data API does once the app is registered as an issuer.
 */
describe('the app as the issuer of Data API tokens', () => {
	it('publishes where its key is, and a member token verifies against it with its issuer', async () => {
		const document = await issuerDocument();
		const keys = await publishedKeys();
		expect(document).toMatchObject({ issuer: dataApiConfig().tokenIssuer, id_token_signing_alg_values_supported: ['ES256'] });
		expect(document!.jwks_uri).toBe(`${dataApiConfig().tokenIssuer}/.well-known/jwks.json`);

		const memberId = await createMember('Issa');
		const token = await mintMemberToken(dataApiConfig().tokenSigner, memberId, 60, dataApiConfig().tokenIssuer);
		const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys as Parameters<typeof createLocalJWKSet>[0]), {
			issuer: document!.issuer as string
		});
		expect(payload).toMatchObject({ sub: memberId, role: 'authenticated' });
		expect(protectedHeader.kid).toBeTruthy();
	});

	it('is what the Data API trusts: a member acts as themselves, and a visitor as nobody', async () => {
		const memberId = await createMember('Ilse');
		const own = await (await memberDataClient(memberId)).from('member').select('id').eq('id', memberId);
		expect(own.error).toBeNull();
		expect(own.data).toEqual([{ id: memberId }]);
		const anon = await anonDataClient().from('member').select('id').eq('id', memberId);
		expect(anon.data ?? []).toEqual([]);
	});

	it("answers Supabase's new API keys as Supabase's gateway does: the right key is anon, another is refused", async () => {
		const env = inject('stackEnv');
		expect(env.SUPABASE_PUBLISHABLE_KEY).toMatch(/^sb_publishable_/);
		expect(env.SUPABASE_SECRET_KEY).toMatch(/^sb_secret_/);
		const read = (apikey: string) => fetch(`${env.SUPABASE_URL}/rest/v1/neighbourhood?select=id&limit=1`, { headers: { apikey } });
		expect((await read(env.SUPABASE_PUBLISHABLE_KEY)).status).toBe(200);
		expect((await read('sb_publishable_guessed')).status).toBe(401);
		// The secret key is the service role: it may run what only the server may.
		const service = await fetch(`${env.SUPABASE_URL}/rest/v1/rpc/forget_inactive_guests`, {
			method: 'POST',
			headers: { apikey: env.SUPABASE_SECRET_KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ p_before: '2000-01-01T00:00:00Z' })
		});
		expect(service.status).toBe(200);
		const anon = await fetch(`${env.SUPABASE_URL}/rest/v1/rpc/forget_inactive_guests`, {
			method: 'POST',
			headers: { apikey: env.SUPABASE_PUBLISHABLE_KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ p_before: '2000-01-01T00:00:00Z' })
		});
		expect([401, 403]).toContain(anon.status);
	});
});
