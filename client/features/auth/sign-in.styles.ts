import { css } from 'lit';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

/** The sign-in and forgotten-password pages: one short form, narrower than the other narrow pages. */
export const signInPageStyles = [
  baseStyles,
  pageStyles,
  css`
    .narrow {
      max-inline-size: 26rem;
    }
  `,
];
