import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { exportAccount } from '$lib/account/account.server';
import type { RequestHandler } from './$types';

/** Everything stored about the signed-in member, as a JSON download. */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.memberId) error(401, m.sign_in_needed());
	const data = await exportAccount(locals.memberId);
	return json(
		{ exported_at: new Date().toISOString(), ...(data as object) },
		{
			headers: {
				'content-disposition': 'attachment; filename="buurtbord-my-data.json"',
				'cache-control': 'no-store'
			}
		}
	);
};
