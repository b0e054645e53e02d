import { ReadyhandProvider } from './readyhand-provider.component.js';
import { readyhand } from './readyhand-element.js';

export { ReadyhandProvider };

// Pages may load the script twice: define once.
if (!customElements.get('readyhand-provider')) customElements.define('readyhand-provider', ReadyhandProvider);
// A page that loads the script twice keeps the first `window.readyhand`, whose elements are the defined ones.
window.readyhand ??= readyhand;

declare global {
  interface Window {
    /** Page-wide defaults and token hand-over for hosts that prefer code: see `readyhand` in `@readyhand/core`. */
    readyhand: typeof readyhand;
  }
  interface HTMLElementTagNameMap {
    'readyhand-provider': ReadyhandProvider;
  }
}
