import { generateSigningKey } from '../src/lib/server/auth/signing-key.ts';

/**
 * Prints a new private key for DATA_API_SIGNING_KEY (an EC P-256 JWK with its kid). Keep it as
 * secret as a password; the app publishes only its public half, at /.well-known/jwks.json.
 */
console.log(await generateSigningKey());
