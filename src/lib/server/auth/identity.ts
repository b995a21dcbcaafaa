import { z } from 'zod';
import { databasePool } from '../db/pool.ts';

/**
 * Reads of the sign-in records (better-auth's `identity` schema) that better-auth's API does
 * not offer. Writes go through better-auth.
 */
const signInSchema = z.object({ id: z.uuid(), email: z.string(), email_verified: z.boolean() });
export type SignInRecord = z.infer<typeof signInSchema>;

export async function findSignInByEmail(email: string): Promise<SignInRecord | null> {
	const { rows } = await databasePool().query(
		`select id, email, "emailVerified" as email_verified from identity."user" where lower(email) = lower($1)`,
		[email]
	);
	return rows[0] ? signInSchema.parse(rows[0]) : null;
}

export async function findSignIn(memberId: string): Promise<SignInRecord | null> {
	const { rows } = await databasePool().query(
		`select id, email, "emailVerified" as email_verified from identity."user" where id = $1`,
		[memberId]
	);
	return rows[0] ? signInSchema.parse(rows[0]) : null;
}
