// custom-elements.json: the public surface of every element (attributes, properties,
// events, slots, CSS parts and custom properties), generated from the JSDoc.
export default {
  globs: ['packages/*/src/*.component.ts', 'packages/core/src/readyhand-element.ts'],
  exclude: ['**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
};
