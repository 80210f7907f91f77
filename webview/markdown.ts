/**
 * Model output → safe HTML. Markdown-it runs with raw HTML off, so tags in the text are shown as
 * text; DOMPurify then checks the result against a short allowlist, and links keep an href only when
 * it is http(s) or mailto. Images become plain links: a remote image would be fetched the moment it
 * is shown, which a prompt injection could use to send data out. Code blocks are highlighted (the
 * highlighter escapes) and get Copy / Insert buttons, which the message list handles by delegation.
 */
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

const LANGUAGES = { bash, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, definition] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, definition);
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx', 'mts', 'cts'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['html', 'svg', 'xhtml'], { languageName: 'xml' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['rs'], { languageName: 'rust' });

const ALLOWED_TAGS = [
  'a', 'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div', 'button', 'sup', 'sub',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'data-action', 'data-lang', 'aria-label', 'type', 'start'];
// `#tw-file=<id>`: a file_path link, rewritten from the message's annotations (components/messageFiles.ts).
const SAFE_HREF = /^(https?:\/\/|mailto:|#tw-file=file-[A-Za-z0-9]+$)/i;

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });

markdown.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index]!;
  return codeBlock(token.content, languageOf(token.info));
};
markdown.renderer.rules.code_block = (tokens, index) => codeBlock(tokens[index]!.content, '');
markdown.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]!;
  const src = String(token.attrGet('src') ?? '');
  const label = escapeHtml(token.content || 'image');
  return SAFE_HREF.test(src) ? `<a href="${escapeHtml(src)}" title="Image (not loaded)">🖼 ${label}</a>` : label;
};

let purifier: ReturnType<typeof DOMPurify> | undefined;

function sanitizer(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName !== 'A') return;
    const href = node.getAttribute('href');
    if (href !== null && !SAFE_HREF.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  return purifier;
}

/** Markdown source → sanitized HTML, ready for innerHTML. */
export function renderMarkdown(source: string): string {
  return sanitizer().sanitize(markdown.render(source), {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}

/** Puts sanitized markdown into an element. */
export function setMarkdown(element: HTMLElement, source: string): void {
  element.innerHTML = renderMarkdown(source);
}

/** Only letters, digits and a few signs survive from a fence's info string. */
export function languageOf(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return word.replace(/[^\w+#.-]/g, '').slice(0, 24).toLowerCase();
}

function codeBlock(code: string, language: string): string {
  const known = language !== '' && hljs.getLanguage(language) !== undefined;
  const body = known ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
  const label = language === '' ? 'text' : language;
  return `<div class="code-block" data-lang="${escapeHtml(language)}"><div class="code-toolbar"><span class="code-lang">${escapeHtml(label)}</span>` +
    '<button type="button" class="code-action" data-action="copy" aria-label="Copy code">Copy</button>' +
    '<button type="button" class="code-action" data-action="insert" aria-label="Insert code at the cursor">Insert</button>' +
    `</div><pre><code class="hljs">${body}</code></pre></div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
