import { ReadyhandModeration } from './readyhand-moderation.component.js';

export { ReadyhandModeration };
export * from './events.js';

// Pages may load the script twice: define once.
if (!customElements.get('readyhand-moderation')) customElements.define('readyhand-moderation', ReadyhandModeration);

declare global {
  interface HTMLElementTagNameMap {
    'readyhand-moderation': ReadyhandModeration;
  }
}
