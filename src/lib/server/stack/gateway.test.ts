import { describe, expect, it } from 'vitest';
import { authorizationFor } from './gateway.ts';

const keys = { publishable: 'sb_publishable_p', secret: 'sb_secret_s', anonToken: 'anon.jwt', serviceToken: 'service.jwt' };

describe("the embedded gateway's API keys", () => {
	it('turn the publishable and secret keys into the anon and service_role tokens', () => {
		expect(authorizationFor({ apikey: keys.publishable }, keys)).toBe('Bearer anon.jwt');
		expect(authorizationFor({ apikey: keys.publishable, authorization: 'Bearer sb_publishable_p' }, keys)).toBe('Bearer anon.jwt');
		expect(authorizationFor({ apikey: keys.secret, authorization: 'Bearer sb_secret_s' }, keys)).toBe('Bearer service.jwt');
	});

	it("let a member's own token pass, and never lift it to another key's role", () => {
		expect(authorizationFor({ apikey: keys.publishable, authorization: 'Bearer member.jwt' }, keys)).toBe('Bearer member.jwt');
		expect(authorizationFor({ apikey: keys.publishable, authorization: 'Bearer sb_secret_s' }, keys)).toBe('Bearer sb_secret_s');
	});

	it('refuse an unknown new-style key, and pass legacy keys through', () => {
		expect(authorizationFor({ apikey: 'sb_secret_guessed' }, keys)).toBeNull();
		expect(authorizationFor({ apikey: 'eyJ.legacy', authorization: 'Bearer eyJ.legacy' }, keys)).toBe('Bearer eyJ.legacy');
		expect(authorizationFor({}, keys)).toBeUndefined();
	});
});
