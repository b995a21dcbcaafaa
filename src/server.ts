/**
 * The production server (`npm start`, after `vite build`): starts the stack, serves the
 * SvelteKit app from build/handler.js and socket.io on the same HTTP server and port, and
 * shuts everything down on Ctrl-C or SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import compression from 'compression';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from './lib/server/config.ts';
import { isStopping, markStopping } from './lib/server/lifecycle.ts';
import { attach, detach } from './lib/realtime/attach.server.ts';
import { applySecurityHeaders, securityHeaders } from './lib/server/security/headers.ts';
import { answerUnparsableRequest, bodySizeLimit, drainUnreadBody, refuseTooLarge } from './lib/server/too-large.ts';
import { printStartupBanner } from './lib/server/stack/banner.ts';
import { exportStackEnv, startStack } from './lib/server/stack/index.ts';

async function main() {
	const config = parseConfig(process.env);
	const stack = await startStack(config);
	exportStackEnv(stack.env);

	type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
	let handler: Handler | undefined;
	let headers: Record<string, string> = {};
	const bodyLimit = bodySizeLimit(process.env.BODY_SIZE_LIMIT);
	// Pages, page data and feeds compressed as the browser asks (brotli or gzip): a board page is
	// a third of its size on a slow phone line. Built files come compressed already (adapter-node
	// precompresses them, and compression leaves an answer with its own Content-Encoding alone).
	const compress = compression() as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
	const server = createServer((req, res) => {
		if (!handler) {
			res.writeHead(503, { 'retry-after': '1' }).end();
			return;
		}
		// On every answer, static files included (sirv inside the handler bypasses SvelteKit's hooks).
		applySecurityHeaders(res, headers);
		if (refuseTooLarge(req, res, bodyLimit)) return;
		drainUnreadBody(req, res);
		const serve = handler;
		compress(req, res, () => serve(req, res, () => res.writeHead(404).end('Not found')));
	});

	server.on('clientError', answerUnparsableRequest);
	await new Promise<void>((ready, fail) => {
		server.once('error', fail);
		server.listen(config.PORT, config.HOST, ready);
	});
	const address = server.address();
	const port = address && typeof address === 'object' ? address.port : config.PORT;
	const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
	// adapter-node assumes https when ORIGIN is unset, which would refuse every form post on
	// a local http run; behind a proxy, ORIGIN must be the public URL (see README).
	process.env.ORIGIN = config.ORIGIN ?? `http://${host}:${port}`;
	headers = securityHeaders(process.env.ORIGIN);
	// Imported only now: the handler reads ORIGIN when it loads.
	({ handler } = (await import(pathToFileURL(resolve('build/handler.js')).href)) as { handler: Handler });
	// Sockets only once pages can be served: a board that reconnects loads itself afresh at once.
	attach(server, { databaseUrl: stack.env.DATABASE_URL });
	printStartupBanner(`${process.env.ORIGIN}/`, stack);

	const shutdown = async (signal: string) => {
		if (isStopping()) return;
		markStopping();
		// From here on PostgreSQL and PostgREST may exit (Ctrl-C reaches them too): no restarts.
		stack.quiesce();
		console.log(`\n  ${signal}: stopping Buurtbord…`);
		// Stop taking requests, let running ones finish, then stop the database last.
		const closed = new Promise((done) => server.close(done));
		// detach() bounds its own waits (socket.io and its database pool); the HTTP server gets 5 s.
		await detach();
		server.closeIdleConnections();
		await Promise.race([closed, new Promise((done) => setTimeout(done, 5000))]);
		await stack.stop();
		console.log('  Stopped.');
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown('SIGINT'));
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof ConfigError ? error.message : error);
	process.exit(1);
});
