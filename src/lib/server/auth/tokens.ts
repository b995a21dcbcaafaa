import { SignJWT, jwtVerify } from 'jose';

/**
 * Tokens that PostgREST (local or Supabase's Data API) verifies. `sub` is the member's uuid,
 * so row-level security keys on `auth.uid()`.
 */
export type DataApiRole = 'anon' | 'authenticated' | 'service_role';

const encoder = new TextEncoder();

export async function signDataApiToken(
	secret: string,
	claims: { role: DataApiRole; sub?: string },
	ttlSeconds: number
): Promise<string> {
	const jwt = new SignJWT({ role: claims.role })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuedAt()
		.setIssuer('buurtbord')
		.setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
	if (claims.sub) jwt.setSubject(claims.sub);
	return jwt.sign(encoder.encode(secret));
}

/** A short-lived token for one member's requests. */
export function mintMemberToken(secret: string, memberId: string, ttlSeconds: number) {
	return signDataApiToken(secret, { role: 'authenticated', sub: memberId }, ttlSeconds);
}

export async function verifyDataApiToken(secret: string, token: string) {
	const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'] });
	return payload;
}
