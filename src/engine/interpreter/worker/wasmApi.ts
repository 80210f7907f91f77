/**
 * The few WebAssembly calls used here, typed locally: the project compiles without the DOM lib,
 * which is where TypeScript keeps the WebAssembly declarations.
 */

/** A compiled module; opaque here, but structured-cloneable to other threads. */
export type WasmModule = object & { readonly __wasmModule?: never };

export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(source: unknown, imports?: WasmImports): Promise<unknown>;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
