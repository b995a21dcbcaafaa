import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * `vite build`: the messages compile once, at the start, in a process of their own
 * (compile-messages.ts). Paraglide's own plugin compiles inside the build's process, and the
 * inlang SDK's leftover timers then kept `vite build` alive for 15 s after it had finished.
 * `vite dev` keeps Paraglide's plugin, which also recompiles when a message file changes.
 */
/** Compiles the messages in a process of its own and waits for it (builds and test runs). */
export function compileMessages(): void {
	execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./compile-messages.ts', import.meta.url))], { stdio: 'inherit' });
}

export function compileMessagesOnBuild(): Plugin {
	let compiled = false;
	return {
		name: 'buurtbord-compile-messages',
		apply: 'build',
		buildStart() {
			// SvelteKit builds twice (server, then browser); once is enough.
			if (compiled) return;
			compiled = true;
			compileMessages();
		}
	};
}
