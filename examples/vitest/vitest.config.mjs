// Vitest over the BUILT package (npm test builds first): the same matchers, registered by hand.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

export default defineConfig({
  test: {
    include: ['**/*.vitest.ts'],
    root: fileURLToPath(new URL('.', import.meta.url)),
  },
  resolve: {
    alias: [
      { find: /^jest-connect-iam\/matchers$/, replacement: `${dist}matchers/index.js` },
      { find: /^jest-connect-iam$/, replacement: `${dist}src/index.js` },
    ],
  },
});
