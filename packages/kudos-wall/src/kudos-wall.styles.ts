import { css } from 'lit';

export const styles = css`
  [role='option'] {
    padding: var(--_gap);
    cursor: pointer;
  }
  /* A card off screen is not laid out or painted until it scrolls near (most of a 50-card wall
     on first render); its height is a card's until it has been shown once, then its own. */
  [part~='kudos'] {
    content-visibility: auto;
    contain-intrinsic-size: auto 6.5rem;
  }
`;
