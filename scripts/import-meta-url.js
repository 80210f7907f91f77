// Injected into the CommonJS bundles so code written as ES modules can still ask for its own URL.
export const importMetaUrl = require('url').pathToFileURL(__filename).href;
