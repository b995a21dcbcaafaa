import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { metricsAccess, metricsText } from '$lib/server/metrics';
import type { RequestHandler } from './$types';

/** Prometheus's text format; who may read it: see `metricsAccess` (METRICS_TOKEN, NODE_ENV). */
export const GET: RequestHandler = async ({ request }) => {
	const { METRICS_TOKEN, NODE_ENV } = config();
	const access = metricsAccess(request.headers.get('authorization'), { token: METRICS_TOKEN, production: NODE_ENV === 'production' });
	if (access === 'not_found') error(404, 'Not found');
	if (access === 'unauthorized') {
		return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' } });
	}
	if (access === 'forbidden') return new Response('Forbidden\n', { status: 403, headers: { 'cache-control': 'no-store' } });
	const { body, contentType } = await metricsText();
	return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
