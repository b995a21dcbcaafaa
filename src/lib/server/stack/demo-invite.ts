import pg from 'pg';
import { generateInviteCode } from '../../joining/invite-code.ts';
import { hashSecret, seal, unseal } from '../auth/sealing.ts';

const DEMO_SLUG = 'de-linde';
const DEMO_LABEL = 'demo';

/**
 * The invite code of the demo neighbourhood, made once and printed at every start, so a
 * developer can try joining straight away. Null when there is no demo neighbourhood.
 */
export async function demoInviteCode(databaseUrl: string, authSecret: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: databaseUrl });
	// A dropped connection rejects the running query; without a listener it would end the process.
	client.on('error', () => {});
	await client.connect();
	try {
		const { rows: neighbourhoods } = await client.query<{ id: string }>('select id from public.neighbourhood where slug = $1', [
			DEMO_SLUG
		]);
		const neighbourhoodId = neighbourhoods[0]?.id;
		if (!neighbourhoodId) return null;
		const { rows: invites } = await client.query<{ code_sealed: string }>(
			`select code_sealed from public.invite
			 where neighbourhood_id = $1 and activity_id is null and label = $2 and revoked_at is null
			   and (expires_at is null or expires_at > now())
			 order by created_at limit 1`,
			[neighbourhoodId, DEMO_LABEL]
		);
		if (invites[0]) {
			// A secret changed since (AUTH_SECRET set later): make a new invite below.
			const code = await unseal(authSecret, invites[0].code_sealed).catch(() => null);
			if (code) return code;
		}
		const code = generateInviteCode();
		await client.query(
			`insert into public.invite (neighbourhood_id, code_hash, code_sealed, label, created_by)
			 values ($1, $2, $3, $4, (select member_id from public.neighbourhood_member
			                          where neighbourhood_id = $1 and role = 'coordinator' order by joined_at limit 1))`,
			[neighbourhoodId, hashSecret(code), await seal(authSecret, code), DEMO_LABEL]
		);
		return code;
	} finally {
		await client.end();
	}
}
