// lcms-wasm ships no types; src/pdf/colour.ts declares the parts it uses (LcmsModule).
declare module 'lcms-wasm';
