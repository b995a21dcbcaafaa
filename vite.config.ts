import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideBrowserRuntime } from './src/build/paraglide-browser-runtime.ts';
import { shellChunk } from './src/build/shell-chunk.ts';
import { buurtbordDevStack, buurtbordSecurityHeaders } from './src/lib/server/dev-stack-plugin.ts';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './src/lib/i18n/project.inlang',
			outdir: './src/lib/paraglide',
			// Dutch unless the person chose otherwise: the choice lives in a cookie on the device.
			strategy: ['cookie', 'baseLocale'],
			cookieName: 'buurtbord_lang'
		}),
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
					env: { LOG_LEVEL: 'warn' },
					globalSetup: ['tests/integration/global-setup.ts'],
					setupFiles: ['tests/integration/setup-env.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// One isolated stack per run, shared by the files; files run one at a time.
					fileParallelism: false
				}
			}
		]
	}
});
