import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';

/**
 * The key Buurtbord signs Data API tokens with, where the Data API trusts it as a third-party
 * issuer (Supabase's asymmetric JWT signing: the app publishes its public key, Supabase and the
 * embedded PostgREST verify; nobody else can sign). ES256, identified by `kid` (the key's
 * RFC 7638 thumbprint). Kept as a private JWK in JSON: `DATA_API_SIGNING_KEY`, or in the
 * embedded stack's secrets.
 */
export const SIGNING_ALGORITHM = 'ES256';

const privateJwkSchema = z.object({
	kty: z.literal('EC'),
	crv: z.literal('P-256'),
	x: z.string().min(40),
	y: z.string().min(40),
	d: z.string().min(40),
	kid: z.string().min(16)
});

export interface SigningKey {
	kid: string;
	privateKey: CryptoKey;
	/** The public half, as published in the JWKS. */
	publicJwk: JWK & { kid: string; alg: string; use: 'sig' };
}

/** Whether a token signer is a private key (JSON) rather than a shared secret. */
export const isSigningKey = (signer: string) => signer.trimStart().startsWith('{');

/** A new private key as JSON, for DATA_API_SIGNING_KEY or the embedded stack's secrets. */
export async function generateSigningKey(): Promise<string> {
	const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
	const jwk = await exportJWK(privateKey);
	return JSON.stringify({ ...jwk, kid: await calculateJwkThumbprint(jwk) });
}

/** Reads a private JWK; throws with what is wrong. */
export function parseSigningKey(json: string): z.infer<typeof privateJwkSchema> {
	return privateJwkSchema.parse(JSON.parse(json));
}

const loaded = new Map<string, Promise<SigningKey>>();

export function signingKey(json: string): Promise<SigningKey> {
	let key = loaded.get(json);
	if (!key) {
		key = (async () => {
			const jwk = parseSigningKey(json);
			const { d: _secret, ...publicPart } = jwk;
			return {
				kid: jwk.kid,
				privateKey: (await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey,
				publicJwk: { ...publicPart, alg: SIGNING_ALGORITHM, use: 'sig' as const }
			};
		})();
		loaded.set(json, key);
	}
	return key;
}

/** The JSON Web Key Set with the public key: what the Data API verifies tokens against. */
export async function jwksOf(json: string): Promise<{ keys: SigningKey['publicJwk'][] }> {
	return { keys: [(await signingKey(json)).publicJwk] };
}
