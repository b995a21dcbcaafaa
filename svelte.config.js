import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// The production server (src/server.ts) wraps build/handler.js so socket.io shares its port.
		adapter: adapter({ out: 'build' }),
		csrf: { trustedOrigins: [] }
	}
};

export default config;
