import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { currentLogContext } from './log.ts';
import { metricsText } from './metrics.ts';
import { observeRequests, routeLabel } from './request-log.ts';

function eventFor(path: string, routeId: string | null, headers: Record<string, string> = {}) {
	return {
		request: new Request(`http://localhost${path}`, { headers }),
		url: new URL(`http://localhost${path}`),
		route: { id: routeId }
	} as unknown as RequestEvent;
}

async function count(series: string): Promise<number> {
	const line = (await metricsText()).body.split('\n').find((l) => l.startsWith(`${series} `));
	return line ? Number(line.split(' ')[1]) : 0;
}

describe('observeRequests', () => {
	it('answers with the request id the request is handled under', async () => {
		let seen: string | undefined;
		const response = await observeRequests({
			event: eventFor('/g/1', '/g/[id]', { 'x-request-id': 'proxy-42' }),
			resolve: async () => {
				seen = currentLogContext()?.requestId;
				return new Response('ok');
			}
		});
		expect(seen).toBe('proxy-42');
		expect(response.headers.get('x-request-id')).toBe('proxy-42');
	});

	it('replaces an unsafe incoming id, also on a response with immutable headers', async () => {
		const immutable = Response.redirect('http://localhost/elsewhere', 302);
		const response = await observeRequests({
			event: eventFor('/', '/', { 'x-request-id': 'no spaces please' }),
			resolve: async () => immutable
		});
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('counts the request under its route id, never its path', async () => {
		const series = 'http_requests_total{method="GET",route="/feeds/personal/[token].ics",status="200"}';
		const before = await count(series);
		await observeRequests({ event: eventFor('/feeds/personal/secret-token.ics?x=1', '/feeds/personal/[token].ics'), resolve: async () => new Response('') });
		expect(await count(series)).toBe(before + 1);
		expect((await metricsText()).body).not.toContain('secret-token');
	});

	it('counts a request whose handling failed as a 500', async () => {
		const series = 'http_requests_total{method="GET",route="/boom",status="500"}';
		const before = await count(series);
		await expect(observeRequests({ event: eventFor('/boom', '/boom'), resolve: async () => Promise.reject(new Error('x')) })).rejects.toThrow('x');
		expect(await count(series)).toBe(before + 1);
	});
});

describe('routeLabel', () => {
	it('is the route id, a fixed name for sign-in endpoints, or "unmatched"', () => {
		expect(routeLabel(eventFor('/join/ABCD-EFGH', '/join/[code]'))).toBe('/join/[code]');
		expect(routeLabel(eventFor('/api/auth/magic-link/verify?token=t', null))).toBe('/api/auth/[...]');
		expect(routeLabel(eventFor('/no/such/page', null))).toBe('unmatched');
	});
});
