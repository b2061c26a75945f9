// stylis ships no types; the theme passes its prefixer to Emotion and nothing else.
declare module 'stylis' {
  import type { StylisPlugin } from '@emotion/cache';
  export const prefixer: StylisPlugin;
}
