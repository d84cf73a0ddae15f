// Tests spawn the built CLI; on a loaded 2-core machine three spawns can pass vitest's default
// 5 s, so a test gets 30 s unless it sets its own.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { testTimeout: 30_000 } });
