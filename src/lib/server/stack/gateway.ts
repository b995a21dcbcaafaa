import { createServer, request, type Server } from 'node:http';
import { freePort } from './free-port.ts';

export interface RunningGateway {
	url: string;
	stop(): Promise<void>;
}

const PREFIX = '/rest/v1';

/**
 * Supabase's API keys as its gateway treats them: a request carrying the publishable key (or
 * the secret key) as `apikey`, and no token of its own, reaches PostgREST as `anon` (or
 * `service_role`); a token in `Authorization` (a member's) passes as it is. An unknown
 * `sb_…` key is refused.
 */
export interface ApiKeys {
	publishable: string;
	secret: string;
	anonToken: string;
	serviceToken: string;
}

/** The Authorization header PostgREST gets, or null when the API key is refused. */
export function authorizationFor(headers: { apikey?: string | string[]; authorization?: string }, keys: ApiKeys): string | undefined | null {
	const apikey = Array.isArray(headers.apikey) ? headers.apikey[0] : headers.apikey;
	if (!apikey?.startsWith('sb_')) return headers.authorization;
	const token = apikey === keys.publishable ? keys.anonToken : apikey === keys.secret ? keys.serviceToken : null;
	if (token === null) return null;
	// supabase-js sends the key in both headers when it has no session of its own.
	return !headers.authorization || headers.authorization === `Bearer ${apikey}` ? `Bearer ${token}` : headers.authorization;
}

/**
 * Serves PostgREST under `/rest/v1`, the path supabase-js expects (as Supabase's own gateway
 * does), on a loopback port. PostgREST itself serves from `/`.
 */
export async function startGateway(postgrestUrl: string, apiKeys?: ApiKeys): Promise<RunningGateway> {
	const target = new URL(postgrestUrl);
	const server: Server = createServer((incoming, outgoing) => {
		const path = incoming.url ?? '/';
		if (path !== PREFIX && !path.startsWith(`${PREFIX}/`) && !path.startsWith(`${PREFIX}?`)) {
			outgoing.writeHead(404, { 'content-type': 'application/json' });
			outgoing.end(JSON.stringify({ message: `Only ${PREFIX} is served here` }));
			return;
		}
		const headers = { ...incoming.headers, host: target.host };
		if (apiKeys) {
			const authorization = authorizationFor(incoming.headers, apiKeys);
			if (authorization === null) {
				outgoing.writeHead(401, { 'content-type': 'application/json' });
				outgoing.end(JSON.stringify({ message: 'Invalid API key' }));
				return;
			}
			if (authorization === undefined) delete headers.authorization;
			else headers.authorization = authorization;
		}
		const upstream = request(
			{
				host: target.hostname,
				port: target.port,
				method: incoming.method,
				path: path.slice(PREFIX.length) || '/',
				headers
			},
			(response) => {
				outgoing.writeHead(response.statusCode ?? 502, response.headers);
				response.pipe(outgoing);
			}
		);
		upstream.on('error', () => {
			if (!outgoing.headersSent) outgoing.writeHead(503, { 'content-type': 'application/json' });
			outgoing.end(JSON.stringify({ message: 'PostgREST is not reachable' }));
		});
		incoming.pipe(upstream);
	});
	const port = await freePort();
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${port}`,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
