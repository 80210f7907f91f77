/**
 * v2's `code_interpreter`: the model writes code, the engine runs it in the thread's sandbox
 * session with the thread's and assistant's files under /mnt/data, streams the code and its
 * output as step deltas, stores generated images and files as `assistants_output` files, and
 * adds them to the answer (`image_file` parts, `file_path` annotations on `sandbox:` links).
 */
import type { AnswerDecoration, BuiltinTool, BuiltinToolContext, BuiltinToolResult, ToolScope } from '../ports/builtinTool.ts';
import type { CodeInterpreterHost, SandboxFile } from '../ports/codeInterpreter.ts';
import type { ModelTool } from '../ports/modelBackend.ts';
import type { Assistant } from '../types/assistant.ts';
import type { FileObject } from '../types/file.ts';
import type { FilePathAnnotation, MessageContent } from '../types/message.ts';
import type { Run } from '../types/run.ts';
import type { CodeInterpreterOutput, ToolCall } from '../types/runStep.ts';
import type { ToolCallDelta } from '../types/streamEvent.ts';
import type { Thread } from '../types/thread.ts';
import { partialStringField } from './partialJsonString.ts';

export interface CodeInterpreterDependencies {
  host: CodeInterpreterHost;
  /** A stored file's name and bytes. */
  readFile(fileId: string): { filename: string; bytes: Uint8Array } | undefined;
  /** Stores a generated file (purpose `assistants_output`). */
  saveOutput(filename: string, bytes: Uint8Array): FileObject;
}

/** Files that reach the sandbox: the assistant's and the thread's code_interpreter resources. */
export function codeInterpreterFileIds(thread: Thread | undefined, assistant: Assistant | undefined): string[] {
  const ids = [...(assistant?.tool_resources?.code_interpreter?.file_ids ?? []), ...(thread?.tool_resources?.code_interpreter?.file_ids ?? [])];
  return [...new Set(ids)];
}

const SANDBOX_LINK = /sandbox:\/mnt\/data\/([^\s)\]"'>]+)/g;

export class CodeInterpreterTool implements BuiltinTool {
  readonly type = 'code_interpreter' as const;
  private readonly deps: CodeInterpreterDependencies;
  /** Generated files per run, by their name under /mnt/data, for the answer's file_path links. */
  private readonly generated = new Map<string, Map<string, string>>();

  constructor(deps: CodeInterpreterDependencies) {
    this.deps = deps;
  }

  private fileNames(scope: ToolScope): string[] {
    return codeInterpreterFileIds(scope.thread, scope.assistant)
      .map((id) => this.deps.readFile(id)?.filename)
      .filter((name): name is string => name !== undefined);
  }

  modelTool(_definition: unknown, scope: ToolScope): ModelTool {
    const files = this.fileNames(scope);
    return {
      name: 'code_interpreter',
      description:
        'Run Python code in a sandbox with no network. Print results to see them. Files are in /mnt/data' +
        (files.length ? ` (${files.join(', ')})` : '') +
        '. Save charts as PNG or SVG and other outputs under /mnt/data. `import twchart` draws bar and line charts without extra packages.',
      parameters: { type: 'object', properties: { code: { type: 'string', description: 'Python source to run.' } }, required: ['code'] },
    };
  }

  instructions(_definition: unknown, scope: ToolScope): string {
    const files = this.fileNames(scope);
    return (
      'You can run Python with the code_interpreter tool for calculations, data analysis and charts. ' +
      (files.length ? `The user's files are in /mnt/data: ${files.join(', ')}. ` : '') +
      'To give the user a file you wrote, link it as sandbox:/mnt/data/<name>. Charts you save are shown to the user automatically.'
    );
  }

  initialDelta(callId: string, index: number): ToolCallDelta {
    return { index, id: callId, type: 'code_interpreter', code_interpreter: { input: '', outputs: [] } };
  }

  argumentsDelta(argumentsSoFar: string, previous: string): ToolCallDelta | null {
    const code = partialStringField(argumentsSoFar, 'code');
    if (code === null || code.length <= previous.length || !code.startsWith(previous)) return null;
    return { index: -1, type: 'code_interpreter', code_interpreter: { input: code.slice(previous.length) } };
  }

  async execute(argumentsJson: string, context: BuiltinToolContext): Promise<BuiltinToolResult> {
    let code: string;
    try {
      const parsed = JSON.parse(argumentsJson || '{}') as { code?: unknown };
      if (typeof parsed.code !== 'string' || parsed.code.trim() === '') throw new Error('missing code');
      code = parsed.code;
    } catch {
      throw new Error('Call code_interpreter with {"code": "<python source>"}.');
    }
    const files: SandboxFile[] = [];
    for (const id of codeInterpreterFileIds(context.thread, context.assistant)) {
      const file = this.deps.readFile(id);
      if (file) files.push({ name: file.filename.replace(/^.*[\\/]/, ''), bytes: file.bytes });
    }
    const session = this.deps.host.sessionFor(context.thread.id);
    const result = await session.run({ language: 'python', code, files }, context.signal);

    const outputs: CodeInterpreterOutput[] = [];
    const logs = result.error ? `${result.logs}${result.logs.endsWith('\n') || !result.logs ? '' : '\n'}${result.error.message}` : result.logs;
    if (logs) outputs.push({ type: 'logs', logs });
    for (const image of result.images) {
      const stored = this.deps.saveOutput(image.name, image.bytes);
      outputs.push({ type: 'image', image: { file_id: stored.id } });
    }
    const saved = new Map(this.generated.get(context.run.id) ?? []);
    for (const file of result.files) saved.set(file.name, this.deps.saveOutput(file.name, file.bytes).id);
    this.generated.set(context.run.id, saved);
    context.publishDelta({
      index: context.index,
      type: 'code_interpreter',
      code_interpreter: { outputs: outputs.map((output, index) => ({ index, ...output })) },
    });

    const notes = [
      ...result.images.map((image) => `Saved /mnt/data/${image.name}; it is shown to the user.`),
      ...result.files.map((file) => `Wrote /mnt/data/${file.name}; link it as sandbox:/mnt/data/${file.name}.`),
    ];
    return {
      call: { id: context.callId, type: 'code_interpreter', code_interpreter: { input: code, outputs } },
      modelOutput: [logs || '(no output)', ...notes].join('\n'),
    };
  }

  decorateAnswer(text: string, run: Run, calls: ToolCall[]): AnswerDecoration {
    const parts: MessageContent[] = [];
    for (const call of calls) {
      if (call.type !== 'code_interpreter') continue;
      for (const output of call.code_interpreter.outputs) {
        if (output.type === 'image') parts.push({ type: 'image_file', image_file: { file_id: output.image.file_id } });
      }
    }
    const saved = this.generated.get(run.id) ?? new Map<string, string>();
    const annotations: FilePathAnnotation[] = [];
    for (const match of text.matchAll(SANDBOX_LINK)) {
      const fileId = saved.get(match[1]!);
      if (!fileId) continue;
      annotations.push({ type: 'file_path', text: match[0], file_path: { file_id: fileId }, start_index: match.index, end_index: match.index + match[0].length });
    }
    this.generated.delete(run.id);
    return { text, annotations, parts };
  }
}
