import { css } from 'lit';

export const styles = css`
  [part~='base'] > * + * {
    margin-top: var(--_space);
  }
  h2 {
    font-size: 1.15em;
  }
  h3,
  h4 {
    font-size: 1em;
  }
  form {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  form > button {
    justify-self: start;
  }
  .row,
  .toolbar,
  [part~='filter'],
  .q,
  .experts,
  [part~='meta'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) / 2);
    align-items: center;
  }
  .row input {
    flex: 1 1 12em;
    width: auto;
  }
  .toolbar {
    justify-content: space-between;
  }
  [part~='sort'] select {
    width: auto;
  }
  [aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .q {
    align-items: flex-start;
    flex-wrap: nowrap;
    padding: calc(var(--_space) / 2) 0;
  }
  li.q + li.q {
    border-top: 1px solid var(--_border);
  }
  .grow {
    flex: 1;
    min-width: 0;
  }
  [part~='vote'] {
    min-width: 3em;
    padding: 0.2em 0.4em;
    white-space: nowrap;
  }
  [part~='title'] {
    font-weight: 600;
  }
  h3[part~='title'] {
    font-size: 1.1em;
  }
  [part~='body'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part~='avatar'] {
    display: inline-grid;
    place-items: center;
    width: 1.6em;
    height: 1.6em;
    border-radius: 50%;
    background: var(--_border);
    color: var(--_text);
    font-size: 0.8em;
    object-fit: cover;
  }
  [part~='badge'] {
    border: 1px solid currentColor;
    border-radius: 1em;
    padding: 0 0.5em;
    font-size: 0.8em;
  }
  [part~='accepted'] {
    border-inline-start: 3px solid var(--_accent);
    padding-inline-start: calc(var(--_space) / 2);
  }
  [part~='similar'] {
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: calc(var(--_space) / 2);
  }
  .check {
    display: flex;
    gap: 0.4em;
    align-items: center;
  }
`;
