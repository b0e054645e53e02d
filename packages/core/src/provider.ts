import { ReadyhandProvider } from './readyhand-provider.component.js';

export { ReadyhandProvider };

// Pages may load the script twice: define once.
if (!customElements.get('readyhand-provider')) customElements.define('readyhand-provider', ReadyhandProvider);

declare global {
  interface HTMLElementTagNameMap {
    'readyhand-provider': ReadyhandProvider;
  }
}
