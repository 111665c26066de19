/**
 * The colour scheme, shared by both pages: the run colours, the CSS's theme colours as the
 * charts read them (resolved for the scheme in use), and the scheme chosen, kept in the
 * browser's storage so that it holds on the other page; the quiz page's link to the
 * playground returns to what the person last saw there.
 */
export type ThemeChoice = 'auto' | 'light' | 'dark';

/** 20 colours distinguishable on light and dark backgrounds (Tableau 20, reordered). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#2f6ea5',
  '#d37295',
  '#86bcb6',
  '#8cd17d',
  '#b6992d',
  '#f1ce63',
  '#499894',
  '#79706e',
  '#d4a6c8',
  '#fabfd2',
];

/** The colour of run (or curve) `i`. */
export const runColor = (i: number): string => PALETTE[i % PALETTE.length] as string;

/** `hex` (#rrggbb) with opacity `alpha` in [0, 1]; any other colour as it is. */
export function withAlpha(hex: string, alpha: number): string {
  if (!hex.startsWith('#') || hex.length !== 7) return hex;
  return `${hex}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

/**
 * The CSS custom property `name` of the page's theme (e.g. `--fg`) as a colour of the scheme in use, or `fallback`
 * when unset. The CSS writes each as light-dark(light, dark), which a custom property's computed value keeps as it
 * is written: the colour is resolved as the `color` of a hidden element.
 */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value ? resolvedColor(`var(${name})`) : fallback;
}

/** The scheme in use: the one chosen on the page, else the browser's. */
export function usedScheme(): 'light' | 'dark' {
  return resolvedColor('light-dark(#000000, #ffffff)') === '#ffffff' ? 'dark' : 'light';
}

/** CSS colour `color` as the page's scheme makes it: #rrggbb when opaque, else as the browser writes it (rgba()). */
function resolvedColor(color: string): string {
  const probe = colorProbe();
  probe.style.color = color;
  const resolved = getComputedStyle(probe).color;
  const rgb = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(resolved);
  return rgb
    ? `#${rgb
        .slice(1)
        .map((c) => Number(c).toString(16).padStart(2, '0'))
        .join('')}`
    : resolved;
}

/**
 * The hidden element whose computed `color` resolves colours: made on first use and kept (a new element per colour
 * costs about 20 times as much).
 */
function colorProbe(): HTMLElement {
  const kept = document.getElementById('theme-probe');
  if (kept) return kept;
  const probe = document.createElement('span');
  probe.id = 'theme-probe';
  probe.hidden = true;
  document.body.append(probe);
  return probe;
}

const THEME_KEY = 'curvelab.theme';
const PLAYGROUND_KEY = 'curvelab.playground.hash';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused (a private window): nothing is shared
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage refused: the choice holds on this page only
  }
}

/** The scheme last chosen on either page ('auto' when none). */
export function storedTheme(): ThemeChoice {
  const value = read(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/** Applies `theme` to the page (the CSS reads `data-theme`) and keeps it for both pages. */
export function applyTheme(theme: ThemeChoice, keep = true): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (keep) write(THEME_KEY, theme);
}

/** Remembers the playground's URL hash (its whole state). */
export function keepPlaygroundHash(hash: string): void {
  write(PLAYGROUND_KEY, hash);
}

/** The playground's address with the state the person last saw there. */
export function playgroundHref(base = './index.html'): string {
  const hash = read(PLAYGROUND_KEY);
  return hash ? `${base}#${hash}` : base;
}
