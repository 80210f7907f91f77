/**
 * The chat panel's HTML shell, generated in this one place. The content security policy allows
 * nothing by default: scripts only with this page's nonce, styles and fonts only from the
 * extension, images only from the extension or inline data. Model output therefore cannot load or
 * run anything even if it got past the sanitizer.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export interface WebviewAssets {
  script: vscode.Uri;
  style: vscode.Uri;
}

export function renderWebviewHtml(webview: vscode.Webview, assets: WebviewAssets): string {
  const nonce = randomBytes(18).toString('base64');
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Lit (inside @vscode-elements) adopts constructed style sheets; nothing is injected as <style> markup.
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${assets.style.toString()}">
<title>Threadwork</title>
</head>
<body>
<div id="app" aria-live="off"></div>
<script nonce="${nonce}" src="${assets.script.toString()}"></script>
</body>
</html>`;
}
