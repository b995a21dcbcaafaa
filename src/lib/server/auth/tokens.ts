import { SignJWT, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { isSigningKey, SIGNING_ALGORITHM, signingKey } from './signing-key.ts';

/**
 * Tokens that PostgREST (local or Supabase's Data API) verifies. `sub` is the member's uuid,
 * so row-level security keys on `auth.uid()`.
 *
 * What signs them (a `TokenSigner`) is either a private key (a JWK in JSON, ES256 with `kid`:
 * Supabase's asymmetric signing, the app as a third-party issuer whose public key the Data API
 * trusts) or, for older Supabase projects, the project's legacy shared JWT secret (HS256).
 */
export type DataApiRole = 'anon' | 'authenticated' | 'service_role';
export type TokenSigner = string;

const encoder = new TextEncoder();

export async function signDataApiToken(
	signer: TokenSigner,
	claims: { role: DataApiRole; sub?: string },
	ttlSeconds: number,
	issuer = 'buurtbord'
): Promise<string> {
	const jwt = new SignJWT({ role: claims.role })
		.setIssuedAt()
		.setIssuer(issuer)
		.setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
	if (claims.sub) jwt.setSubject(claims.sub);
	if (isSigningKey(signer)) {
		const key = await signingKey(signer);
		return jwt.setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', kid: key.kid }).sign(key.privateKey);
	}
	return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encoder.encode(signer));
}

/** A short-lived token for one member's requests. */
export function mintMemberToken(signer: TokenSigner, memberId: string, ttlSeconds: number, issuer?: string) {
	return signDataApiToken(signer, { role: 'authenticated', sub: memberId }, ttlSeconds, issuer);
}

/** The claims of a token this signer made; throws for any other token. */
export async function verifyDataApiToken(signer: TokenSigner, token: string) {
	if (isSigningKey(signer)) {
		const key = await signingKey(signer);
		if (decodeProtectedHeader(token).kid !== key.kid) throw new Error('signed with another key');
		const { payload } = await jwtVerify(token, await importJWK(key.publicJwk, SIGNING_ALGORITHM), { algorithms: [SIGNING_ALGORITHM] });
		return payload;
	}
	const { payload } = await jwtVerify(token, encoder.encode(signer), { algorithms: ['HS256'] });
	return payload;
}
