import { css } from 'lit';

export const styles = css`
  [part~='base'] > * + * {
    margin-top: var(--_space);
  }
  [role='option'] {
    padding: var(--_gap);
    cursor: pointer;
  }
`;
