import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { findSecrets } from './secret-markers.ts';

describe('findSecrets', () => {
	it('finds nothing in ordinary client code', () => {
		const code = 'import{io}from"./socket.js";const t="gathering:"+id;fetch("/push/subscribe",{method:"POST"});export{t as topic};';
		expect(findSecrets('app.js', code)).toEqual([]);
		// Naming a setting is fine; its value is not.
		expect(findSecrets('outbox.js', '<p>Set SMTP_URL to send real e-mail.</p>')).toEqual([]);
	});

	it('catches a planted service-role token, a database URL and a private key', async () => {
		const jwt = await new SignJWT({ role: 'service_role' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32)));
		const bundle = `const k="${jwt}";const d="postgresql://postgres:pw@127.0.0.1:5432/buurtbord";const p="-----BEGIN PRIVATE KEY-----\\nMIIE";`;
		const markers = findSecrets('chunk.js', bundle).map((f) => f.marker);
		expect(markers).toEqual(expect.arrayContaining(['JWT', 'database URL', 'PEM private key']));
		expect(findSecrets('chunk.js', bundle)[0]!.file).toBe('chunk.js');
	});

	it('catches the names of server settings and server modules', () => {
		for (const [text, marker] of [
			['env.SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_SERVICE_ROLE_KEY'],
			['process.env.SUPABASE_JWT_SECRET', 'JWT secret'],
			['AUTH_SECRET:"abc"', 'AUTH_SECRET'],
			['VAPID_PRIVATE_KEY', 'VAPID private key'],
			['process.env.DATA_API_SIGNING_KEY', 'DATA_API_SIGNING_KEY'],
			['"sb_secret_abc123"', 'Supabase secret key'],
			['{"kty":"EC","d":"c2VjcmV0LXNjYWxhci1vZi10aGUta2V5"}', 'private JWK'],
			['role:"service_role"', 'service-role key'],
			['/src/lib/server/db/client.ts', 'server module path'],
			['"smtps://mail:hunter2@smtp.example:465"', 'SMTP URL with a password']
		] as const) {
			expect(findSecrets('x.js', text).map((f) => f.marker), text).toContain(marker);
		}
	});

	it('shows where it found something', () => {
		const [finding] = findSecrets('x.js', `${'a'.repeat(100)}AUTH_SECRET${'b'.repeat(100)}`);
		expect(finding!.excerpt).toBe(`${'a'.repeat(30)}AUTH_SECRET${'b'.repeat(30)}`);
	});
});
