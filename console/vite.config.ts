import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the console into dist/console, which `recvault serve` serves at `/`. Relative asset
 * URLs (`base: './'`) keep it working behind a path prefix; no inline scripts or styles are
 * emitted, so the strict CSP holds.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is an inline-capable shim; every supported browser preloads modules natively.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
