import { css } from 'lit';

export const styles = css`
  [part~='body'] ul {
    list-style: disc;
  }
  [part~='body'] :is(ul, ol) {
    margin: 0 0 var(--_gap);
    padding-inline-start: 1.5em;
  }
  pre {
    margin: 0 0 var(--_gap);
    overflow-x: auto;
    white-space: pre;
  }
`;
