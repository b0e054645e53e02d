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
  h3[part~='title'] {
    font-size: 1.1em;
  }
  [part~='accepted'],
  [part~='similar'] {
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: var(--_gap);
  }
  [part~='accepted'] {
    border-inline-start-color: var(--_accent);
  }
`;
