/**
 * Turns the text of an import file into an ImportPlan: a Threadwork export is recognised by its
 * `format`, anything else is read as what the hosted Assistants API v2 listed. JSON Lines (one
 * saved page per line) is accepted too, because that is how many scripts appended their pages.
 */
import { readAssistantsExport } from './assistantsExportReader.ts';
import type { ImportedThread, ImportPlan } from './importedThread.ts';
import { ImportFormatError } from './importedThread.ts';
import { contentParts, describe, incompleteReason, isRecord, metadata, role, seconds } from './messageParts.ts';
import { ARCHIVE_FORMAT } from './threadArchive.ts';

export function readImportFile(text: string): ImportPlan {
  const value = parseJsonOrLines(text);
  if (isRecord(value) && value['format'] === ARCHIVE_FORMAT) return readArchive(value);
  if (isRecord(value) && typeof value['format'] === 'string') {
    throw new ImportFormatError(`Unknown export format "${value['format']}"; this version reads "${ARCHIVE_FORMAT}" and Assistants API v2 message lists.`);
  }
  return readAssistantsExport(value);
}

function parseJsonOrLines(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) throw new ImportFormatError('The file is empty.');
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const lines = trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0);
    if (lines.length > 1) {
      try {
        return lines.map((line) => JSON.parse(line) as unknown);
      } catch {
        // Not JSON Lines either: report the whole-file error, which points at the first problem.
      }
    }
    throw new ImportFormatError(`The file is not JSON: ${(error as Error).message}`);
  }
}

function readArchive(value: Record<string, unknown>): ImportPlan {
  if (value['version'] !== 1) throw new ImportFormatError(`This Threadwork export has version ${describe(value['version'])}; this version of Threadwork reads version 1.`);
  if (!Array.isArray(value['threads'])) throw new ImportFormatError('A Threadwork export needs a "threads" list.');
  const notes = new Set<string>();
  const threads = value['threads'].map((entry, index): ImportedThread => {
    const where = `threads[${index}]`;
    if (!isRecord(entry) || !isRecord(entry['thread']) || !Array.isArray(entry['messages'])) {
      throw new ImportFormatError(`${where}: expected {"thread": {…}, "messages": […]}.`);
    }
    const thread = entry['thread'];
    return {
      sourceId: typeof thread['id'] === 'string' ? thread['id'] : null,
      created_at: seconds(thread['created_at'], `${where}.thread`),
      metadata: metadata(thread['metadata']),
      messages: entry['messages'].map((message, messageIndex) => {
        const at = `${where}.messages[${messageIndex}]`;
        if (!isRecord(message)) throw new ImportFormatError(`${at}: expected a message object.`);
        const reason = incompleteReason(message['status'], message['incomplete_details']);
        return {
          sourceId: typeof message['id'] === 'string' ? message['id'] : null,
          created_at: seconds(message['created_at'], at),
          role: role(message['role'], at),
          content: contentParts(message['content'], at, notes),
          status: reason === null ? 'completed' : 'incomplete',
          incompleteReason: reason,
          metadata: metadata(message['metadata']),
        };
      }),
    };
  });
  return { source: 'threadwork', threads, notes: [...notes] };
}
