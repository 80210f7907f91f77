/**
 * The code_interpreter tool over an engine's own file store, as the extension and `threadwork
 * serve` both register it: a cell's input files are read from the store, and the files it writes
 * are saved there as `assistants_output`.
 */
import type { Engine } from '../engine.ts';
import type { CodeInterpreterHost } from '../ports/codeInterpreter.ts';
import { CodeInterpreterTool } from './codeInterpreterTool.ts';

export function createCodeInterpreterTool(engine: Engine, host: CodeInterpreterHost): CodeInterpreterTool {
  return new CodeInterpreterTool({
    host,
    readFile: (fileId) => {
      const file = engine.store.files.get(fileId);
      const bytes = file ? engine.store.fileContent(fileId) : undefined;
      return file && bytes ? { filename: file.filename, bytes } : undefined;
    },
    saveOutput: (filename, bytes) => engine.files.create({ filename, purpose: 'assistants_output', bytes }),
  });
}
