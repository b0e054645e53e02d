import { KudosWall } from './kudos-wall.component.js';

export { KudosWall };
export * from './events.js';

// Pages may load the script twice: define once.
if (!customElements.get('kudos-wall')) customElements.define('kudos-wall', KudosWall);

declare global {
  interface HTMLElementTagNameMap {
    'kudos-wall': KudosWall;
  }
}
