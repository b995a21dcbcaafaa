import { inject } from 'vitest';

// The app reads its configuration from process.env, as in production.
Object.assign(process.env, inject('stackEnv'));
