import { css } from 'lit';

export const styles = css`
  .toolbar {
    justify-content: space-between;
  }
  [part~='vote'] {
    min-width: 3em;
    padding: 0.2em 0.4em;
    white-space: nowrap;
  }
`;
