import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * A Vite plugin that resolves imports of one of Paraglide's generated modules to ours instead,
 * for the importers `importedBy` accepts, in the environments `inEnvironment` accepts (all by default).
 */
function swapParaglideModule(options: {
	name: string;
	/** The generated module, and how an import of it is spelled. */
	generated: { path: string; spelled: RegExp };
	ours: string;
	importedBy: (importer: string) => boolean;
	inEnvironment?: Plugin['applyToEnvironment'];
}): Plugin {
	return {
		name: options.name,
		enforce: 'pre',
		...(options.inEnvironment ? { applyToEnvironment: options.inEnvironment } : {}),
		async resolveId(source, importer, resolveOptions) {
			if (!importer || importer === options.ours || !options.importedBy(importer) || !options.generated.spelled.test(source)) return null;
			const resolved = await this.resolve(source, importer, { ...resolveOptions, skipSelf: true });
			return resolved?.id === options.generated.path ? options.ours : null;
		}
	};
}

/**
 * The browser build imports src/lib/i18n/browser-runtime.ts wherever the code (the compiled
 * messages too) imports Paraglide's runtime; the server keeps Paraglide's (its middleware, the
 * request's language). Exports the browser runtime lacks fail the build, so a change in what
 * Paraglide's messages need cannot slip through.
 */
export const paraglideBrowserRuntime = () =>
	swapParaglideModule({
		name: 'buurtbord-paraglide-browser-runtime',
		generated: { path: path('../lib/paraglide/runtime.js'), spelled: /runtime(\.js)?$/ },
		ours: path('../lib/i18n/browser-runtime.ts'),
		importedBy: () => true,
		inEnvironment: (environment) => environment.config.consumer === 'client'
	});

/**
 * Every build (browser, server, tests) imports src/lib/i18n/registry.ts wherever the compiled
 * messages import Paraglide's registry.js: the same formatters, each built once (see there).
 * Only the compiled messages' imports: its tests compare it with Paraglide's own, and fail when
 * Paraglide's registry has a formatter it lacks or answers otherwise.
 */
export const paraglideCachedRegistry = () =>
	swapParaglideModule({
		name: 'buurtbord-paraglide-cached-registry',
		generated: { path: path('../lib/paraglide/registry.js'), spelled: /registry(\.js)?$/ },
		ours: path('../lib/i18n/registry.ts'),
		importedBy: (importer) => importer.startsWith(path('../lib/paraglide/'))
	});
