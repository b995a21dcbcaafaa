import { createHash, randomBytes } from 'node:crypto';
import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';

/**
 * SHA-256 hex of a token or code: what the database stores to look it up. Tokens are checked
 * by that lookup in SQL (`where code_hash = $1`), never by comparing them in JavaScript; its
 * timing can only tell something about a hash, not about the token. A comparison that has to
 * happen in JavaScript uses safeEqual (../security/constant-time.ts).
 */
export function hashSecret(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A random token for a link that grants access (256 bits, URL-safe). */
export function newLinkToken(): string {
	return randomBytes(32).toString('base64url');
}

/** Encrypts with the server's secret (better-auth's XChaCha20-Poly1305), for codes hosts may need again. */
export function seal(secret: string, value: string): Promise<string> {
	return symmetricEncrypt({ key: secret, data: value });
}

export function unseal(secret: string, sealed: string): Promise<string> {
	return symmetricDecrypt({ key: secret, data: sealed });
}
