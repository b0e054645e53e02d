import { css } from 'lit';

const dark = css`
  --_accent: var(--rh-color-accent, #79a8ff);
  --_on-accent: var(--rh-color-on-accent, #0d1117);
  --_text: var(--rh-color-text, #e6edf3);
  --_surface: var(--rh-color-surface, #161b22);
  --_border: var(--rh-color-border, #3d444d);
  --_muted: var(--rh-color-muted, #9ea7b3);
  --_danger: var(--rh-color-danger, #ff9b8f);
  color-scheme: dark;
`;

/**
 * Design tokens and the shared look of every widget. Public `--rh-*` custom
 * properties map onto private `--_*` ones with light and dark defaults; the
 * host page's font is inherited unless `--rh-font-family` says otherwise.
 */
export const baseStyles = css`
  :host {
    --_accent: var(--rh-color-accent, #2457c5);
    --_on-accent: var(--rh-color-on-accent, #fff);
    --_text: var(--rh-color-text, #1f2328);
    --_surface: var(--rh-color-surface, #fff);
    --_border: var(--rh-color-border, #d1d9e0);
    --_muted: var(--rh-color-muted, #59636e);
    --_danger: var(--rh-color-danger, #b42318);
    --_radius: var(--rh-radius, 6px);
    --_space: var(--rh-space, 0.75rem);
    display: block;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--rh-font-family, inherit);
    line-height: 1.45;
    color-scheme: light;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
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
  }
  button {
    cursor: pointer;
    background: none;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.3em 0.8em;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  .primary {
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
  input:not([type='checkbox']),
  textarea,
  select {
    width: 100%;
    padding: 0.4em 0.6em;
    background: var(--_surface);
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
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
  p {
    margin: 0 0 calc(var(--_space) / 2);
  }
  .muted,
  [part~='meta'] {
    color: var(--_muted);
    font-size: 0.875em;
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
    animation: rh-pulse 1s ease-in-out infinite alternate;
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
