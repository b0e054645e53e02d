import { css } from 'lit';

export const styles = css`
  /* A card off screen is not laid out or painted until it scrolls near (most of a 50-card wall
     on first render); its height is a card's until it has been shown once, then its own. That
     clips the card's painting to its box: 4px more each side, taken back by the margin so that
     nothing moves, keep the focus rings of its buttons and links (2px, 2px off) whole. */
  [part~='kudos'] {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 6.5rem;
    padding-inline: 4px;
    margin-inline: -4px;
  }
`;
