import { redirect } from '@sveltejs/kit';
import { signOut } from '$lib/server/services/account';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	await signOut(request.headers).catch(() => undefined);
	redirect(303, '/');
};
