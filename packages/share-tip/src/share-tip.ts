import { ShareTip } from './share-tip.component.js';

export { ShareTip };
export { markdown, safeHref } from './markdown.js';
export * from './events.js';

// Pages may load the script twice: define once.
if (!customElements.get('share-tip')) customElements.define('share-tip', ShareTip);

declare global {
  interface HTMLElementTagNameMap {
    'share-tip': ShareTip;
  }
}
