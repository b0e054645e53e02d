import { css } from 'lit';

export const styles = css`
  [part~='base'] > * + * {
    margin-top: var(--_space);
  }
  [role='option'] {
    padding: var(--_gap);
    cursor: pointer;
  }
  @media (prefers-reduced-motion: no-preference) {
    .new {
      animation: rh-in 0.6s ease-out;
    }
    @keyframes rh-in {
      from {
        opacity: 0;
        transform: translateY(-0.5em);
      }
    }
  }
`;
