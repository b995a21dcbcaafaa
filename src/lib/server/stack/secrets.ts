import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Secrets of the embedded stack, generated on first start and kept in the data folder so
 * that a restart keeps sessions and the database password valid. Never committed.
 */
const secretsSchema = z.object({
	postgresPassword: z.string().min(32),
	jwtSecret: z.string().min(32)
});
export type StackSecrets = z.infer<typeof secretsSchema>;

const generate = () => randomBytes(32).toString('base64url');

export async function loadOrCreateSecrets(dataDir: string): Promise<StackSecrets> {
	const file = join(dataDir, 'secrets.json');
	try {
		return secretsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw new Error(`${file} is damaged; remove it together with ${join(dataDir, 'postgres')} to start afresh`, {
				cause: error
			});
		}
	}
	const secrets = { postgresPassword: generate(), jwtSecret: generate() };
	await mkdir(dataDir, { recursive: true });
	await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
	return secrets;
}
