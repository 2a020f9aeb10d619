import fc from 'fast-check';

/**
 * Property tests run from a fixed seed so CI is reproducible; set VIGIL_FC_SEED to another number
 * to explore, or to "random" for a fresh seed each run (fast-check prints the seed of any failure).
 */
const env = process.env.VIGIL_FC_SEED;
if (env !== 'random') fc.configureGlobal({ seed: env ? Number(env) : 0x5eed_2026 });
