import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import { generateSigningKey } from '../auth/signing-key.ts';

/**
 * Secrets of the embedded stack, generated on first start and kept in the data folder so
 * that a restart keeps sessions, invite codes and the database password valid. Never
 * committed. A secret added in a later version is generated and written back.
 */
const secret = z.string().min(32);
const secretsSchema = z.object({
	postgresPassword: secret,
	authSecret: secret,
	vapidPublicKey: secret,
	vapidPrivateKey: secret,
	// The private key (JWK, JSON) members' Data API tokens are signed with; PostgREST trusts its public half.
	dataApiSigningKey: secret,
	// The embedded gateway's API keys, shaped as Supabase's new keys.
	publishableKey: secret,
	secretKey: secret
});
export type StackSecrets = z.infer<typeof secretsSchema>;

const generate = () => randomBytes(32).toString('base64url');

export async function loadOrCreateSecrets(dataDir: string): Promise<StackSecrets> {
	const file = join(dataDir, 'secrets.json');
	let stored: Partial<StackSecrets> = {};
	try {
		stored = secretsSchema.partial().parse(JSON.parse(await readFile(file, 'utf8')));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw new Error(`${file} is damaged; remove it together with ${join(dataDir, 'postgres')} to start afresh`, {
				cause: error
			});
		}
	}
	const vapid = stored.vapidPublicKey && stored.vapidPrivateKey ? null : webpush.generateVAPIDKeys();
	const secrets: StackSecrets = {
		postgresPassword: stored.postgresPassword ?? generate(),
		authSecret: stored.authSecret ?? generate(),
		vapidPublicKey: vapid?.publicKey ?? stored.vapidPublicKey!,
		vapidPrivateKey: vapid?.privateKey ?? stored.vapidPrivateKey!,
		dataApiSigningKey: stored.dataApiSigningKey ?? (await generateSigningKey()),
		publishableKey: stored.publishableKey ?? `sb_publishable_${generate()}`,
		secretKey: stored.secretKey ?? `sb_secret_${generate()}`
	};
	if (Object.keys(stored).length < Object.keys(secrets).length) {
		await mkdir(dataDir, { recursive: true });
		await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	}
	return secrets;
}
