import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideBrowserRuntime, paraglideCachedRegistry } from './src/build/paraglide-swaps.ts';
import { compileMessagesOnBuild } from './src/build/compile-messages-plugin.ts';
import { paraglideOptions } from './src/build/paraglide-options.ts';
import { shellChunk } from './src/build/shell-chunk.ts';
import { buurtbordDevStack, buurtbordSecurityHeaders } from './src/lib/server/dev-stack-plugin.ts';

const integration = {
	environment: 'node' as const,
	// Rules are under test, not speed: bursts on a loaded 2-core machine may wait for
	// the database longer than a person would be asked to (DATABASE_TIMEOUT_MS, 5 s).
	env: { LOG_LEVEL: 'warn', DATABASE_TIMEOUT_MS: '60000' },
	setupFiles: ['tests/support/property-seed.ts', 'tests/integration/setup-env.ts'],
	testTimeout: 30_000,
	hookTimeout: 60_000,
	// One isolated stack per run, shared by the files; files run one at a time.
	fileParallelism: false
};

const onSupabaseToo = ['rls', 'rls-attacks', 'rls-matrix', 'rls-scales', 'privileges', 'supabase-parity', 'joining', 'feeds', 'offers', 'reminders', 'ideas'].map(
	(name) => `tests/integration/${name}.test.ts`
);

export default defineConfig({
	plugins: [
		// The messages: Paraglide's plugin in development (it recompiles on change); its own
		// process in a build (src/build/compile-messages-plugin.ts) and before tests
		// (tests/support/compile-messages.ts).
		process.env.VITEST ? undefined : { ...paraglideVitePlugin(paraglideOptions), apply: 'serve' as const },
		compileMessagesOnBuild(),
		paraglideBrowserRuntime(),
		paraglideCachedRegistry(),
		sveltekit(),
		buurtbordDevStack(),
		buurtbordSecurityHeaders(),
		shellChunk()
	],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					globalSetup: ['tests/support/compile-messages.ts'],
					setupFiles: ['tests/support/property-seed.ts'],
					environment: 'node',
					// Tests that look at log lines make their own logger (loggerTo).
					env: { LOG_LEVEL: 'silent' }
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					globalSetup: ['tests/support/compile-messages.ts', 'tests/integration/global-setup.ts'],
					...integration
				}
			},
			// The files that hold rules and privileges once more, on a PostgreSQL prepared as a
			// Supabase project, with and without its default privileges (tests/support/supabase-like.ts).
			...['grants-by-default', 'grants-nothing'].map((variant) => ({
				extends: true,
				test: {
					name: `integration-supabase-${variant}`,
					include: onSupabaseToo,
					globalSetup: ['tests/support/compile-messages.ts', 'tests/integration/supabase-like-setup.ts'],
					...integration,
					// After the others, one variant at a time: the 2-core machine runs one stack's files at once.
					sequence: { groupOrder: variant === 'grants-by-default' ? 1 : 2 }
				}
			}))
		]
	}
});
