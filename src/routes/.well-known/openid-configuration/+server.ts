import { error, json } from '@sveltejs/kit';
import { issuerDocument } from '$lib/server/auth/issuer';
import type { RequestHandler } from './$types';

/** For Supabase's third-party auth: where to find the key members' tokens are signed with. */
export const GET: RequestHandler = async () => {
	const document = await issuerDocument();
	if (!document) error(404);
	return json(document, { headers: { 'cache-control': 'public, max-age=3600' } });
};
