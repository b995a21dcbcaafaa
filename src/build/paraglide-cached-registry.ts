import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const paraglideRegistry = fileURLToPath(new URL('../lib/paraglide/registry.js', import.meta.url));
const cachedRegistry = fileURLToPath(new URL('../lib/i18n/registry.ts', import.meta.url));
const compiledMessages = fileURLToPath(new URL('../lib/paraglide/', import.meta.url));

/**
 * Every build (browser, server, tests) imports src/lib/i18n/registry.ts wherever the compiled
 * messages import Paraglide's registry.js: the same formatters, each built once (see there).
 * Its unit test fails when Paraglide's registry has a formatter it lacks or answers otherwise.
 */
export function paraglideCachedRegistry(): Plugin {
	return {
		name: 'buurtbord-paraglide-cached-registry',
		enforce: 'pre',
		async resolveId(source, importer, options) {
			// Only the compiled messages' imports: its tests compare it with Paraglide's own.
			if (!importer?.startsWith(compiledMessages) || !/registry(\.js)?$/.test(source)) return null;
			const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
			return resolved?.id === paraglideRegistry ? cachedRegistry : null;
		}
	};
}
