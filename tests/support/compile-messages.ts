import { compileMessages } from '../../src/build/compile-messages-plugin.ts';

/**
 * Vitest's global setup: the messages compile once, before any test, in a process of their own
 * (src/build/compile-messages.ts). Paraglide's Vite plugin is left out of test runs: it compiled
 * in the background, and the inlang SDK's leftover timers then kept Vitest from exiting
 * ("something prevents Vite server from exiting").
 */
export default function setup() {
	compileMessages();
}
