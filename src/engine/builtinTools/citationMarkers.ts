/**
 * v2's citation markers: `【k:i†name】`, where k numbers the file_search calls of a run and i
 * the result within that call (docs/assistants-v2.md §6.6). The model copies them from the tool
 * output; we turn them into `file_citation` annotations whose indices are JS string offsets
 * (UTF-16 code units, what JS and most clients count in).
 */
import type { FileCitationAnnotation } from '../types/message.ts';

export function citationMarker(callOrdinal: number, resultIndex: number, filename: string): string {
  // The marker must not contain its own closing bracket.
  return `【${callOrdinal}:${resultIndex}†${filename.replace(/】/g, ']')}】`;
}

const MARKER = /【(\d+):(\d+)†([^】]*)】/g;

/** Annotations for every marker in `text` that names a known result; others stay plain text. */
export function citationAnnotations(text: string, fileIdOf: (callOrdinal: number, resultIndex: number) => string | undefined): FileCitationAnnotation[] {
  const annotations: FileCitationAnnotation[] = [];
  for (const match of text.matchAll(MARKER)) {
    const fileId = fileIdOf(Number(match[1]), Number(match[2]));
    if (!fileId) continue;
    annotations.push({
      type: 'file_citation',
      text: match[0],
      file_citation: { file_id: fileId },
      start_index: match.index,
      end_index: match.index + match[0].length,
    });
  }
  return annotations;
}
