/**
 * What must never reach a browser: names and shapes of server secrets. Used by the test that
 * searches the built client (tests/integration/client-bundle.test.ts); kept pure so a unit
 * test can show it catches a planted secret.
 */
const SECRET_MARKERS: { name: string; pattern: RegExp }[] = [
	{ name: 'service-role key', pattern: /service_role/i },
	{ name: 'SUPABASE_SERVICE_ROLE_KEY', pattern: /SUPABASE_SERVICE_ROLE_KEY/ },
	{ name: 'JWT secret', pattern: /JWT_SECRET/ },
	{ name: 'DATA_API_SIGNING_KEY', pattern: /DATA_API_SIGNING_KEY/ },
	{ name: 'Supabase secret key', pattern: /SUPABASE_SECRET_KEY|sb_secret_/ },
	// A private JWK: its private exponent or scalar `d`, beside the curve or key type.
	{ name: 'private JWK', pattern: /"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/ },
	{ name: 'AUTH_SECRET', pattern: /AUTH_SECRET/ },
	{ name: 'VAPID private key', pattern: /VAPID_PRIVATE_KEY/ },
	// The value, not the name: a page may tell the admin which setting to change (SMTP_URL).
	{ name: 'database URL', pattern: /postgres(?:ql)?:\/\//i },
	{ name: 'SMTP URL with a password', pattern: /smtps?:\/\/[^\s"'`/@]+:[^\s"'`/@]+@/i },
	{ name: 'PEM private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
	// A JWT: base64url of a JSON header `{"...`, a payload, a signature.
	{ name: 'JWT', pattern: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
	{ name: 'server module path', pattern: /lib\/server\// }
];

export interface SecretFinding {
	file: string;
	marker: string;
	excerpt: string;
}

/** Every marker found in `text` (the contents of `file`), with a little context. */
export function findSecrets(file: string, text: string): SecretFinding[] {
	const findings: SecretFinding[] = [];
	for (const { name, pattern } of SECRET_MARKERS) {
		const match = pattern.exec(text);
		if (!match) continue;
		const from = Math.max(0, match.index - 30);
		findings.push({ file, marker: name, excerpt: text.slice(from, match.index + match[0].length + 30) });
	}
	return findings;
}
