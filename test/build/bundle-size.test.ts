// The all-in-one bundle lives in someone else's page: it must stay within its budget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const budgets = [{ file: 'packages/widgets/dist/widgets.js', gzipped: 20 * KB }];

for (const { file, gzipped } of budgets) {
  test(`${file} stays within ${gzipped / KB} KB gzipped`, () => {
    const source = readFileSync(file);
    const size = gzipSync(source, { level: 9 }).length;
    console.log(`${file}: ${(source.length / KB).toFixed(1)} KB minified, ${(size / KB).toFixed(2)} KB gzipped (budget ${gzipped / KB} KB, ${((size / gzipped) * 100).toFixed(0)} %)`);
    assert.ok(size <= gzipped, `${file} is ${size} bytes gzipped, over the ${gzipped}-byte budget`);
  });
}

test('widgets.js carries Lit inside and imports nothing', () => {
  const source = readFileSync('packages/widgets/dist/widgets.js', 'utf8');
  // A static import statement (not `.importNode(` or `import.meta`) would need a second request.
  const staticImport = /(?:^|[;}\n])\s*import\s*(?:[\w{*]|["'])/.exec(source);
  assert.equal(staticImport && source.slice(staticImport.index, staticImport.index + 60), null);
  assert.match(source, /sourceMappingURL=widgets\.js\.map/);
});
