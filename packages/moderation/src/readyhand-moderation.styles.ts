import { css } from 'lit';

export const styles = css`
  [part~='body'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part~='reports'] {
    margin: 0 0 var(--_gap);
    padding-inline-start: 1.25em;
    list-style: disc;
  }
  [part~='item'] h3 {
    font-size: 1em;
    margin: 0 0 calc(var(--_gap) / 2);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: calc(var(--_gap) / 2);
    border-bottom: 1px solid var(--_border);
  }
`;
