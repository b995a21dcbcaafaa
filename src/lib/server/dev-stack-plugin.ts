import type { Plugin } from 'vite';
import { parseConfig } from './config.ts';
import { markStopping } from './lifecycle.ts';
import { attach } from '../realtime/attach.server.ts';
import { exportStackEnv, startStack } from './stack/index.ts';
import { printStartupBanner } from './stack/banner.ts';
import { securityHeadersMiddleware } from './security/headers.ts';

/**
 * `npm run dev`: starts the same stack as `npm start` (embedded PostgreSQL and PostgREST
 * unless configured otherwise) and attaches socket.io to Vite's own HTTP server.
 */
export function buurtbordDevStack(): Plugin {
	return {
		name: 'buurtbord-dev-stack',
		apply: 'serve',
		async configureServer(server) {
			// Vitest also creates a Vite server; its tests start their own isolated stack.
			if (process.env.VITEST || !server.httpServer) return;
			const stack = await startStack(parseConfig(process.env));
			exportStackEnv(stack.env);
			// Development: a page opened under another name for this machine (127.0.0.1, its LAN address) may open sockets too.
			attach(server.httpServer as import('node:http').Server, { databaseUrl: stack.env.DATABASE_URL, sameHost: true });
			server.httpServer.once('close', () => void stack.stop());
			// Ctrl-C or SIGTERM: stop PostgREST and PostgreSQL before the process goes.
			for (const signal of ['SIGINT', 'SIGTERM'] as const) {
				process.once(signal, () => {
					markStopping();
					void stack.stop().finally(() => process.exit(0));
				});
			}
			server.httpServer.once('listening', () => {
				const url = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`;
				// Sign-in builds its links from ORIGIN, as in production.
				process.env.ORIGIN ??= url.replace(/\/$/, '');
				printStartupBanner(url, stack);
			});
		}
	};
}

/**
 * `npm run dev`: the same security headers as in production, on every answer. 'pre', so they
 * are set before SvelteKit's own middleware serves static/ or renders a page.
 */
export function buurtbordSecurityHeaders(): Plugin {
	return {
		name: 'buurtbord-security-headers',
		apply: 'serve',
		enforce: 'pre',
		configureServer(server) {
			server.middlewares.use(securityHeadersMiddleware());
		}
	};
}
