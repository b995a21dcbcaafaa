import fc from 'fast-check';

/**
 * Property tests are reproducible: every run of fast-check in a test file uses one seed, a
 * fresh one each run unless FC_SEED gives it, so each run keeps finding new inputs. A failing
 * property prints that seed (and the path of its smallest counterexample); run again with
 * `FC_SEED=<seed>` to get the very same inputs. (A Vitest setup file: it runs in each test
 * file's worker before the file.)
 */
const given = process.env.FC_SEED;
if (given !== undefined && !/^-?\d+$/.test(given.trim())) throw new Error(`FC_SEED must be a whole number, not "${given}"`);
const seed = given === undefined ? (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0 : Number(given);
fc.configureGlobal({ seed });

/** The seed of this file's run, for tests that print their own summary. */
export const propertySeed = seed;
