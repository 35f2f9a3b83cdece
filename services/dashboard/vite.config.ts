import { defineConfig } from 'vite';

// Built into dist/, which the control plane serves at /dashboard/ (services/control-plane/src/app.ts).
// Vite 8 compiles TSX with Oxc (React's automatic JSX runtime, from tsconfig), so no React plugin is needed
// for a production build.
export default defineConfig({
  base: '/dashboard/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
