import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (tokens, codes, signatures) in time that does not depend on where they
 * first differ, so nobody can guess one a character at a time by timing the answers. Both
 * sides are hashed first: timingSafeEqual needs equal lengths, and comparing digests also
 * keeps the secret's length from showing.
 *
 * Most tokens in this app are never compared in JavaScript: the database finds them by their
 * SHA-256 hash (see sealing.ts), and timing that lookup reveals only something about a hash,
 * not about the token.
 */
export function safeEqual(a: string, b: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(a), digest(b));
}
