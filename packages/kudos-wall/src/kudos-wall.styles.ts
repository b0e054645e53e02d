import { css } from 'lit';

export const styles = css`
  [role='option'] {
    padding: var(--_gap);
    cursor: pointer;
  }
`;
