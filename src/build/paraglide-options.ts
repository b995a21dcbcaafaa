import type { CompilerOptions } from '@inlang/paraglide-js';

/** How the messages compile: for the Vite plugin (build, dev) and for the test runs alike. */
export const paraglideOptions = {
	project: './src/lib/i18n/project.inlang',
	outdir: './src/lib/paraglide',
	// Dutch unless the person chose otherwise: the choice lives in a cookie on the device.
	strategy: ['cookie', 'baseLocale'],
	cookieName: 'buurtbord_lang'
} satisfies CompilerOptions;
