/**
 * The host side of `citation/open`: resolves the clicked citation (citationResolver.ts), opens the
 * file in the editor and selects the cited lines, found again in the file as it is now when it was
 * edited since it was searched. A file that came from elsewhere (uploaded through the local API) is
 * shown from its stored content in an untitled editor.
 */
import * as vscode from 'vscode';
import type { Engine } from '../../engine/engine.ts';
import { focusLines, locateChunk, resolveCitation, type CitationLookups, type CitationOpenResult, type CitationPort, type CitationRequest, type CitationTarget } from './citationResolver.ts';
import type { KnowledgeRuntime } from './knowledgeRuntime.ts';

export interface CitationOpenerDependencies {
  engine(): Engine;
  runtime(): KnowledgeRuntime;
  log: vscode.LogOutputChannel;
}

function targetUri(target: CitationTarget): vscode.Uri | undefined {
  if (target.kind === 'workspace') return vscode.Uri.joinPath(vscode.Uri.parse(target.folderUri, true), ...target.relativePath.split('/'));
  if (target.kind === 'source') return vscode.Uri.parse(target.uri, true);
  return undefined;
}

async function openDocument(target: CitationTarget): Promise<vscode.TextDocument | undefined> {
  const uri = targetUri(target);
  if (uri) {
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch {
      // Moved or deleted since it was indexed.
      return undefined;
    }
  }
  return target.kind === 'content' ? vscode.workspace.openTextDocument({ content: target.text }) : undefined;
}

export class CitationOpener implements CitationPort {
  readonly #deps: CitationOpenerDependencies;

  constructor(deps: CitationOpenerDependencies) {
    this.#deps = deps;
  }

  lookups(): CitationLookups {
    const runtime = this.#deps.runtime();
    return {
      links: runtime.links,
      workspaceStores: () => runtime.links.workspaceFolders(),
      storeHolds: (storeId, key) => runtime.retrieval.file(storeId, key) !== undefined,
    };
  }

  async open(request: CitationRequest): Promise<CitationOpenResult> {
    const engine = this.#deps.engine();
    const target = resolveCitation(engine, this.lookups(), request);
    if (!target) return { opened: false, reason: 'The cited file is no longer in any knowledge base or workspace index.' };
    const document = await openDocument(target);
    if (!document) return { opened: false, path: target.label, reason: `${target.label} could not be opened: it was moved or deleted since it was searched.` };
    const text = document.getText();
    const chunk = locateChunk(text, target.chunkText, target.lines);
    const lines = focusLines(text, chunk, target.query);
    const start = new vscode.Position(lines.startLine - 1, 0);
    const end = document.lineAt(lines.endLine - 1).range.end;
    // The cursor on the first line of the passage that answers the search, the passage selected.
    const editor = await vscode.window.showTextDocument(document, { preview: true, selection: new vscode.Range(start, start) });
    // Anchored at the end, so the cursor (the active end) sits at the start.
    editor.selection = new vscode.Selection(end, start);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.#deps.log.info(`knowledge: opened citation ${request.marker} → ${target.label}:${lines.startLine}-${lines.endLine} (chunk ${chunk.startLine}-${chunk.endLine})`);
    return { opened: true, path: target.label, startLine: lines.startLine, endLine: lines.endLine, chunk };
  }
}
