import { dataApiConfig } from '../config.ts';
import { isSigningKey, jwksOf, SIGNING_ALGORITHM } from './signing-key.ts';

/**
 * Buurtbord as an OpenID Connect issuer of Data API tokens: what Supabase's third-party auth
 * reads (`<issuer>/.well-known/openid-configuration`, then its `jwks_uri`) to trust the tokens
 * the app signs for its members. Only with a signing key; with a legacy shared secret there is
 * nothing to publish.
 */
export async function issuerDocument(): Promise<Record<string, unknown> | null> {
	const c = dataApiConfig();
	if (!isSigningKey(c.tokenSigner)) return null;
	return {
		issuer: c.tokenIssuer,
		jwks_uri: `${c.tokenIssuer}/.well-known/jwks.json`,
		response_types_supported: ['id_token'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: [SIGNING_ALGORITHM]
	};
}

/** The public key members' tokens are verified with, as a JSON Web Key Set. */
export async function publishedKeys(): Promise<{ keys: unknown[] } | null> {
	const c = dataApiConfig();
	return isSigningKey(c.tokenSigner) ? jwksOf(c.tokenSigner) : null;
}
