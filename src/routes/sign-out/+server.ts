import { redirect } from '@sveltejs/kit';
import { signOut } from '$lib/account/account.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	await signOut(request.headers).catch(() => undefined);
	redirect(303, '/');
};
