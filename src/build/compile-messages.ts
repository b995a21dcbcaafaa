/**
 * Compiles the messages (src/lib/paraglide) and exits. Run as its own process: the inlang SDK
 * leaves timers behind that keep a process alive for about 30 seconds after a first compile.
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from './paraglide-options.ts';

await compile(paraglideOptions);
process.exit(0);
