// `npm run locales`, after `lit-localize extract` (every msg() into xliff/<locale>.xlf) and, once
// translated there, `lit-localize build` (packages/core/src/locales/<locale>.ts): keys each generated
// translation by its English text instead of lit-localize's hash of that text, so that the
// widgets look translations up without carrying the hash function (about 300 bytes gzipped of
// a 20 KB budget; see packages/core/src/localize.ts). Every key is checked against
// lit-localize's own id, so a change of its id scheme fails here rather than in a reader's page.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateMsgId } from '@lit/localize/internal/id-generation.js';

const config = JSON.parse(readFileSync('lit-localize.json', 'utf8'));
const unescapeXml = (s) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);

for (const locale of config.targetLocales) {
  const xliff = readFileSync(`${config.interchange.xliffDir}/${locale}.xlf`, 'utf8');
  /** The English text of each message id: a str`` template's parts joined by U+001E, as lit-localize hashes them. */
  const texts = new Map();
  for (const [, id, source] of xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>/g)) {
    const text = source.split(/<x id="\d+"[^>]*\/>/).map(unescapeXml).join('\x1e');
    if (generateMsgId(text, false) !== id) throw new Error(`${locale}: ${id} is not lit-localize's id of ${JSON.stringify(text)}`);
    texts.set(id, text);
  }
  const file = `${config.output.outputDir}/${locale}.ts`;
  let missing = [];
  const rekeyed = readFileSync(file, 'utf8').replace(/^(\s*)'([sh][0-9a-f]{16})':/gm, (line, indent, id) => {
    if (!texts.has(id)) missing.push(id);
    return `${indent}${JSON.stringify(texts.get(id) ?? id)}:`;
  });
  if (missing.length) throw new Error(`${file}: no English text for ${missing.join(', ')}`);
  writeFileSync(file, rekeyed.replace('// Re-generate this file by running lit-localize', '// Re-generate this file with `npm run locales`'));
  console.log(`${file}: ${texts.size} messages keyed by their English text`);
}
