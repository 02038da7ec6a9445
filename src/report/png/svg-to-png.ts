import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

/** Liberation Sans (OFL), shipped in assets/fonts: the only fonts the renderer sees (ADR 0013). */
const FONT_FILES = ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'].map((name) =>
  fileURLToPath(new URL(`../../../assets/fonts/${name}`, import.meta.url)),
);
const FONT_FAMILY = 'Liberation Sans';

export interface SvgToPngOptions {
  /** Pixels per CSS pixel (default 2: sharp on high-density screens, shown at the SVG's size). */
  scale?: number;
  /** Fills what the SVG leaves transparent (default white, as in the HTML report). */
  background?: string;
}

/**
 * Renders an SVG (as the report's charts draw it) to a PNG for mail clients, which do not show SVG.
 * A pure function of its input: no system font is read, only the shipped ones, and nothing is
 * fetched (the charts reference no image), so the same SVG gives the same bytes on every machine.
 */
export function renderSvgToPng(svg: string, options: SvgToPngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: options.background ?? '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
