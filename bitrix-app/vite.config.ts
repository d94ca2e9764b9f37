import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Relative asset URLs: the connector serves the app under /bitrix24/app/, a dev server at /.
export default defineConfig({
	base: './',
	plugins: [vue()],
	build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
