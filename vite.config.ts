import { defineConfig } from 'vite';

// The page lives in web/; `npm run build` writes a static site to dist/ that works from
// any folder of any static host and offline (relative base, no network requests).
const page = (name: string): string => decodeURIComponent(new URL(`web/${name}`, import.meta.url).pathname);

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
    // Two pages: the playground and the quiz (web/quiz.html).
    rolldownOptions: {
      input: { main: page('index.html'), quiz: page('quiz.html') },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
