import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const paraglideRuntime = fileURLToPath(new URL('../lib/paraglide/runtime.js', import.meta.url));
const browserRuntime = fileURLToPath(new URL('../lib/i18n/browser-runtime.ts', import.meta.url));

/**
 * The browser build imports browser-runtime.ts wherever the code (the compiled messages too)
 * imports Paraglide's runtime; the server keeps Paraglide's (its middleware, the request's
 * language). Exports the browser runtime lacks fail the build, so a change in what Paraglide's
 * messages need cannot slip through.
 */
export function paraglideBrowserRuntime(): Plugin {
	return {
		name: 'buurtbord-paraglide-browser-runtime',
		enforce: 'pre',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		async resolveId(source, importer, options) {
			if (!importer || importer === browserRuntime || !/runtime(\.js)?$/.test(source)) return null;
			const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
			return resolved?.id === paraglideRuntime ? browserRuntime : null;
		}
	};
}
