/**
 * Invite codes: unguessable, yet short enough to type from a poster. Ten characters of
 * Crockford's base32 (no I, L, O, U) carry 50 bits; shown as two groups of five.
 * Typing is forgiving: case, spaces and dashes do not matter, and O/I/L read as 0/1/1.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const INVITE_CODE_LENGTH = 10;

export function generateInviteCode(random: (max: number) => number = secureRandomInt): string {
	let code = '';
	for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += ALPHABET[random(ALPHABET.length)];
	return code;
}

/** The canonical code from what someone typed or scanned, or null if it cannot be one. */
export function normalizeInviteCode(input: string): string | null {
	const cleaned = input
		.toUpperCase()
		.replace(/[\s-]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
	if (cleaned.length !== INVITE_CODE_LENGTH) return null;
	for (const char of cleaned) if (!ALPHABET.includes(char)) return null;
	return cleaned;
}

/** "K7Q2M-9XD3F": easier to read aloud and to copy from paper. */
export function formatInviteCode(code: string): string {
	return `${code.slice(0, 5)}-${code.slice(5)}`;
}

function secureRandomInt(max: number): number {
	// Rejection sampling keeps every character equally likely.
	const limit = 256 - (256 % max);
	const byte = new Uint8Array(1);
	do crypto.getRandomValues(byte);
	while (byte[0]! >= limit);
	return byte[0]! % max;
}
