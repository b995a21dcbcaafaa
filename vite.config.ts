import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideBrowserRuntime } from './src/build/paraglide-browser-runtime.ts';
import { compileMessagesOnBuild } from './src/build/compile-messages-plugin.ts';
import { paraglideOptions } from './src/build/paraglide-options.ts';
import { shellChunk } from './src/build/shell-chunk.ts';
import { buurtbordDevStack, buurtbordSecurityHeaders } from './src/lib/server/dev-stack-plugin.ts';

export default defineConfig({
	plugins: [
		// The messages: Paraglide's plugin in development (it recompiles on change); its own
		// process in a build (src/build/compile-messages-plugin.ts) and before tests
		// (tests/support/compile-messages.ts).
		process.env.VITEST ? undefined : { ...paraglideVitePlugin(paraglideOptions), apply: 'serve' as const },
		compileMessagesOnBuild(),
		paraglideBrowserRuntime(),
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
					environment: 'node',
					// Rules are under test, not speed: bursts on a loaded 2-core machine may wait for
					// the database longer than a person would be asked to (DATABASE_TIMEOUT_MS, 5 s).
					env: { LOG_LEVEL: 'warn', DATABASE_TIMEOUT_MS: '60000' },
					globalSetup: ['tests/support/compile-messages.ts', 'tests/integration/global-setup.ts'],
					setupFiles: ['tests/support/property-seed.ts', 'tests/integration/setup-env.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// One isolated stack per run, shared by the files; files run one at a time.
					fileParallelism: false
				}
			}
		]
	}
});
