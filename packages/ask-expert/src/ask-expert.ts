import { AskExpert } from './ask-expert.component.js';

export { AskExpert };
export * from './events.js';

// Pages may load the script twice: define once.
if (!customElements.get('ask-expert')) customElements.define('ask-expert', AskExpert);

declare global {
  interface HTMLElementTagNameMap {
    'ask-expert': AskExpert;
  }
}
