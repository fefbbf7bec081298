// CSS imports are bundled by esbuild (scripts/build-web.js); they export nothing.
declare module '*.css';
