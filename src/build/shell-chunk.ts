import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

type ModuleInfo = { importedIds: readonly string[] };

const messageIndex = /[\\/]paraglide[\\/]messages(\.js|[\\/]_index\.js)$/;

/**
 * Every page loads the same shell: SvelteKit's client and Svelte, the root layout and error page
 * (SvelteKit loads both on every page), and what they import. Left to itself, Rolldown splits
 * that shell by which other pages share each piece (a message the sign-in page shows too, say)
 * into a dozen small files, each compressed on its own and each with its own import lines. One
 * file for the shell costs no page anything it does not load already, and saves each page
 * about 1.5 kB gzipped (the board page's budget, issue 8). What only some pages use stays out:
 * only static imports of the shell's roots are followed.
 */
export function shellChunk(): Plugin {
	return {
		name: 'buurtbord-shell-chunk',
		apply: 'build',
		// After SvelteKit's own config, which tells the server build from the browser's.
		enforce: 'post',
		config(config) {
			if (config.build?.ssr) return;
			let shell: Set<string> | undefined;
			const inShell = (id: string, getModuleInfo: (id: string) => ModuleInfo | null) => {
				if (!shell) {
					shell = new Set();
					const visit = (moduleId: string) => {
						// Paraglide's index of every message: the shell's few messages would bring all.
						if (shell!.has(moduleId) || messageIndex.test(moduleId)) return;
						shell!.add(moduleId);
						for (const imported of getModuleInfo(moduleId)?.importedIds ?? []) visit(imported);
					};
					// The generated client entries and the root layout and error page.
					const roots = ['.svelte-kit/generated/client-optimized/app.js', 'node_modules/@sveltejs/kit/src/runtime/client/entry.js', 'src/routes/+layout.svelte', 'src/routes/+error.svelte'].map((path) => fileURLToPath(new URL(`../../${path}`, import.meta.url)));
					for (const root of roots) {
						if (!getModuleInfo(root)) throw new Error(`shell-chunk: ${root} is not in the build; update its roots`);
						visit(root);
					}
				}
				return shell.has(id);
			};
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [{ name: (id, context) => (inShell(id, (m) => context.getModuleInfo(m)) ? 'shell' : null) }]
							}
						}
					}
				}
			};
		}
	};
}
