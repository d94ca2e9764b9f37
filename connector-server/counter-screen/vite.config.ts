import { defineConfig } from 'vite';

// Relative asset URLs: the connector serves the screen under /counter/ (behind any path prefix).
export default defineConfig({
	base: './',
	build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
