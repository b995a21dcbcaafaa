import { createServer, request, type Server } from 'node:http';
import { freePort } from './free-port.ts';

export interface RunningGateway {
	url: string;
	stop(): Promise<void>;
}

const PREFIX = '/rest/v1';

/**
 * Serves PostgREST under `/rest/v1`, the path supabase-js expects (as Supabase's own gateway
 * does), on a loopback port. PostgREST itself serves from `/`.
 */
export async function startGateway(postgrestUrl: string): Promise<RunningGateway> {
	const target = new URL(postgrestUrl);
	const server: Server = createServer((incoming, outgoing) => {
		const path = incoming.url ?? '/';
		if (path !== PREFIX && !path.startsWith(`${PREFIX}/`) && !path.startsWith(`${PREFIX}?`)) {
			outgoing.writeHead(404, { 'content-type': 'application/json' });
			outgoing.end(JSON.stringify({ message: `Only ${PREFIX} is served here` }));
			return;
		}
		const upstream = request(
			{
				host: target.hostname,
				port: target.port,
				method: incoming.method,
				path: path.slice(PREFIX.length) || '/',
				headers: { ...incoming.headers, host: target.host }
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
