import { error, json } from '@sveltejs/kit';
import { publishedKeys } from '$lib/server/auth/issuer';
import type { RequestHandler } from './$types';

/** The public key members' Data API tokens are verified with. */
export const GET: RequestHandler = async () => {
	const keys = await publishedKeys();
	if (!keys) error(404);
	return json(keys, { headers: { 'cache-control': 'public, max-age=3600' } });
};
