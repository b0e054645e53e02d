import { css } from 'lit';

/**
 * Design tokens and the shared look of every widget: the four states, forms,
 * lists of items with a person, meta line, badges and counts. What only the
 * forms of a signed-in learner use comes with them (`formStyles` in
 * draft-form.ts), what only live arrivals use with the stream (live-stream.ts). Public `--rh-*`
 * custom properties map onto private `--_*` ones whose defaults follow the
 * colour scheme through `light-dark()`; the host page's font is inherited
 * unless `--rh-font-family` says otherwise.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--rh-color-accent, light-dark(#2457c5, #79a8ff));
    --_on-accent: var(--rh-color-on-accent, light-dark(#fff, #0d1117));
    --_text: var(--rh-color-text, light-dark(#1f2328, #e6edf3));
    --_surface: var(--rh-color-surface, light-dark(#fff, #161b22));
    --_border: var(--rh-color-border, light-dark(#d1d9e0, #3d444d));
    --_muted: var(--rh-color-muted, light-dark(#59636e, #9ea7b3));
    --_danger: var(--rh-color-danger, light-dark(#b42318, #ff9b8f));
    --_radius: var(--rh-radius, 6px);
    --_space: var(--rh-space, 0.75rem);
    --_gap: calc(var(--_space) / 2);
    display: block;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--rh-font-family, inherit);
    line-height: 1.45;
    color-scheme: light dark;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  /* Important: the configurator's snippet sets display: block on the element itself. */
  :host([hidden]) {
    display: none !important;
  }
  [part~='base'] > * + * {
    margin-top: var(--_space);
  }
  * {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button,
  input,
  textarea,
  select {
    font: inherit;
    color: inherit;
    background: none;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    padding: 0.4em 0.6em;
  }
  button {
    cursor: pointer;
    border-color: var(--_border);
    padding: 0.3em 0.8em;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  [aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  .link {
    border: 0;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
    text-align: start;
  }
  input,
  textarea {
    width: 100%;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  h2,
  h3,
  h4,
  p {
    margin: 0 0 var(--_gap);
    font-size: 1em;
  }
  h2 {
    font-size: 1.15em;
  }
  form {
    display: grid;
    gap: var(--_gap);
  }
  form > button {
    justify-self: start;
  }
  .row,
  .item,
  [part~='meta'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
  }
  .item {
    align-items: flex-start;
    flex-wrap: nowrap;
    padding: var(--_gap) 0;
  }
  .item + .item {
    border-top: 1px solid var(--_border);
  }
  .grow {
    flex: 1;
    min-width: 0;
  }
  .muted,
  [part~='meta'] {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='title'] {
    font-weight: 600;
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
    border: 1px solid;
    border-radius: 1em;
    padding: 0 0.5em;
    font-size: 0.8em;
  }
  .field-error,
  [part~='error'] {
    color: var(--_danger);
  }
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .sk {
    display: block;
    height: 1.2em;
    margin: 0.6em 0;
    border-radius: var(--_radius);
    background: var(--_border);
    /* Only a wait longer than a second pulses: most data is in before, and a pulsing skeleton is a
       composited animation, frames drawn all the while, on the cores the page's load needs. */
    animation: rh-pulse 1s ease-in-out 1s infinite alternate;
  }
  .sk:nth-child(odd) {
    width: 70%;
  }
  @keyframes rh-pulse {
    to {
      opacity: 0.4;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .sk {
      animation: none;
    }
  }
  [part~='loading'],
  [part~='empty'],
  [part~='error'] {
    min-height: var(--rh-state-min-height, 8em);
    padding: var(--_space) 0;
  }
`;
