import { html, type TemplateResult } from 'lit';

/**
 * The markdown subset of a tip, rendered as Lit templates: bold, italic,
 * inline code, fenced code blocks, bulleted and numbered lists, and links.
 *
 * User text only ever reaches the page through text bindings, never as HTML:
 * whatever it holds (tags, entities, scripts) shows as the characters typed.
 * A link gets its `href` only when the URL parses on its own (no base) and is
 * http, https or mailto; otherwise its text shows as plain text.
 */

type Part = string | TemplateResult;

// `code` · **bold** or __bold__ · *italic* or _italic_ (not inside snake_case) · [text](url), one level of
// parentheses allowed in the URL. Link text holds no brackets, so links never nest.
// Every span is bounded (a tip holds at most 500 characters), so one unclosed marker costs a bounded scan,
// never a scan to the end of the text for each of thousands of markers.
const INLINE =
  /`([^`]{1,500})`|\*\*(.{1,500}?)\*\*|\b__(.{1,500}?)__\b|\*([^*\s](?:[^*]{0,500}[^*\s])?)\*|\b_([^_]{1,500})_\b|\[([^[\]]{1,500})\]\(\s*((?:[^\s()]|\([^\s()]*\)){1,2048})\s*\)/g;
const FENCE = /^\s*```/;
const ITEM = /^\s*(?:([-*+])|\d{1,9}[.)])\s+(.*)/;
const SCHEMES = ['http:', 'https:', 'mailto:'];

/** The URL to link to, or undefined when `raw` is not an absolute http, https or mailto URL. */
export function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return SCHEMES.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Bold, italic, code and links within one block; marks nest at most three deep, deeper ones show as typed. */
function inline(text: string, depth = 0): Part[] {
  if (depth > 2) return [text];
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const [all, code, bold, bold_, italic, italic_, label, url] = m;
    parts.push(text.slice(last, m.index));
    last = m.index! + all.length;
    const href = url && safeHref(url);
    parts.push(
      code
        ? html`<code>${code}</code>`
        : bold || bold_
          ? html`<strong>${inline(bold || bold_!, depth + 1)}</strong>`
          : italic || italic_
            ? html`<em>${inline(italic || italic_!, depth + 1)}</em>`
            : href
              ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${inline(label!, depth + 1)}</a>`
              : html`${inline(label!, depth + 1)}`,
    );
  }
  parts.push(text.slice(last));
  return parts;
}

/** A tip's text as blocks: paragraphs, code blocks and lists. */
export function markdown(source: string): TemplateResult[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TemplateResult[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const item = ITEM.exec(line);
    if (FENCE.test(line)) {
      const code: string[] = [];
      while (++i < lines.length && !FENCE.test(lines[i]!)) code.push(lines[i]!);
      i++;
      blocks.push(html`<pre><code>${code.join('\n')}</code></pre>`);
    } else if (item) {
      // One list per run of items of the same kind.
      const bullet = !!item[1];
      const items: Part[][] = [];
      for (let m; i < lines.length && (m = ITEM.exec(lines[i]!)) && !!m[1] === bullet; i++) items.push(inline(m[2]!));
      const li = items.map((content) => html`<li>${content}</li>`);
      blocks.push(bullet ? html`<ul>${li}</ul>` : html`<ol>${li}</ol>`);
    } else if (line.trim()) {
      const paragraph: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && !FENCE.test(lines[i]!) && !ITEM.test(lines[i]!); i++) {
        paragraph.push(lines[i]!);
      }
      blocks.push(html`<p>${inline(paragraph.join('\n'))}</p>`);
    } else i++;
  }
  return blocks;
}
