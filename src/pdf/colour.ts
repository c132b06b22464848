/**
 * Colours for the two outputs. A template writes a colour once — `#rrggbb` for the screen or
 * `cmyk(c, m, y, k)` for the press — and each output needs it in its own space: the press PDF only
 * DeviceCMYK or DeviceGray (PDF/X-1a), the screen PDF (PDF/A-2b with an sRGB output intent) only RGB.
 * The conversions go through a real colour transform (LittleCMS, lcms-wasm) between sRGB and the
 * press's CMYK profile (ResolvedOutputCondition.profile), relative colorimetric with black point
 * compensation, as prepress tools convert line art and images.
 *
 * Neutral RGB colours (r = g = b: black text, grey rules) become DeviceGray, i.e. the K plate alone:
 * print shops want black as K100 and never as a four-colour black, which would misregister on thin
 * strokes. Images, whose dark tones need the other inks, always go through the profile.
 *
 * lcms-wasm is an ES module with WebAssembly: it is loaded with import() on first use, and only by a
 * build that writes a press PDF or meets a cmyk() colour.
 */
import fs from 'node:fs';
import { KumihanError } from '../errors.js';

export type Colour = { space: 'rgb'; rgb: [number, number, number] } | { space: 'cmyk'; cmyk: [number, number, number, number] };

/** `#b01e2d` → rgb 0–1; `cmyk(0, 100, 100, 0)` → cmyk 0–1. The schema has checked the form. */
export function parseColour(text: string): Colour {
  const t = text.trim();
  if (t.startsWith('#') && t.length === 7) {
    const v = [1, 3, 5].map((i) => Number.parseInt(t.slice(i, i + 2), 16) / 255);
    return { space: 'rgb', rgb: [v[0]!, v[1]!, v[2]!] };
  }
  const m = /^cmyk\(([^)]*)\)$/.exec(t);
  if (m) {
    const v = m[1]!.split(',').map((p) => Math.min(100, Math.max(0, Number(p.trim()))) / 100);
    if (v.length === 4 && v.every((x) => Number.isFinite(x))) return { space: 'cmyk', cmyk: [v[0]!, v[1]!, v[2]!, v[3]!] };
  }
  throw new KumihanError('template', `cannot read the colour "${text}"; write #rrggbb or cmyk(c, m, y, k)`);
}

/** How a colour is set in a content stream: gray (DeviceGray, 0 = black), rgb or cmyk, each 0–1. */
export type DeviceColour = { space: 'gray'; value: number } | { space: 'rgb'; rgb: number[] } | { space: 'cmyk'; cmyk: number[] };

/** Conversions between sRGB and one CMYK profile, with a report of what was converted. */
export interface ColourConverter {
  /** For the press: DeviceGray for neutrals, else DeviceCMYK. */
  forPress(colour: Colour): DeviceColour;
  /** For the screen: DeviceRGB. */
  forScreen(colour: Colour): DeviceColour;
  /** RGB(A) pixels, 8 bits, to CMYK pixels, 8 bits, alpha composited on white paper first. */
  imageToCmyk(pixels: Uint8Array, channels: 3 | 4, count: number): Uint8Array;
  /** One line per colour converted, in the order met: "#b01e2d → cmyk(0, 95, 69, 30)". */
  conversions: string[];
}

// The parts of lcms-wasm kumihan uses (it ships no types).
interface Lcms {
  cmsOpenProfileFromMem(data: Uint8Array, size: number): number;
  cmsCreate_sRGBProfile(): number;
  cmsGetColorSpaceASCII(profile: number): string | null;
  cmsCreateTransform(input: number, inFormat: number, output: number, outFormat: number, intent: number, flags: number): number;
  cmsDoTransform(transform: number, input: Uint8Array | Uint16Array, count: number): Uint8Array | Uint16Array;
}
interface LcmsModule {
  instantiate(): Promise<Lcms>;
  TYPE_RGB_8: number;
  TYPE_CMYK_8: number;
  TYPE_RGB_16: number;
  TYPE_CMYK_16: number;
  INTENT_RELATIVE_COLORIMETRIC: number;
  cmsFLAGS_BLACKPOINTCOMPENSATION: number;
}

let lcmsLoading: Promise<{ lcms: Lcms; mod: LcmsModule }> | undefined;
function loadLcms() {
  lcmsLoading ??= (import('lcms-wasm') as Promise<LcmsModule>).then(async (mod) => ({ lcms: await mod.instantiate(), mod }));
  return lcmsLoading;
}

interface Transforms {
  lcms: Lcms;
  toCmyk16: number;
  toRgb16: number;
  toCmyk8: number;
}
const transforms = new Map<string, Promise<Transforms>>();

/**
 * A converter for a CMYK profile file: the transforms are made once per process and profile, the
 * colours converted once per converter (one per PDF written), so each build reports its conversions.
 */
export async function colourConverter(profileFile: string): Promise<ColourConverter> {
  let made = transforms.get(profileFile);
  if (!made) {
    made = makeTransforms(profileFile);
    transforms.set(profileFile, made);
    made.catch(() => transforms.delete(profileFile));
  }
  return converterFor(await made);
}

const percent = (v: number) => Math.round(v * 1000) / 10;
const hex2 = (v: number) =>
  Math.round(v * 255)
    .toString(16)
    .padStart(2, '0');
export const formatColour = (c: Colour | DeviceColour): string =>
  c.space === 'rgb'
    ? `#${c.rgb.map(hex2).join('')}`
    : c.space === 'cmyk'
      ? `cmyk(${c.cmyk.map(percent).join(', ')})`
      : `gray(${percent(c.value)})`;

async function makeTransforms(profileFile: string): Promise<Transforms> {
  const { lcms, mod } = await loadLcms();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(profileFile);
  } catch (e) {
    throw new KumihanError('missing-file', `cannot read the output profile (${(e as Error).message})`, { file: profileFile });
  }
  const cmyk = lcms.cmsOpenProfileFromMem(new Uint8Array(bytes), bytes.length);
  if (!cmyk || lcms.cmsGetColorSpaceASCII(cmyk) !== 'CMYK') {
    throw new KumihanError('image', 'the output profile is not a CMYK ICC profile', { file: profileFile });
  }
  const srgb = lcms.cmsCreate_sRGBProfile();
  const intent = mod.INTENT_RELATIVE_COLORIMETRIC;
  const flags = mod.cmsFLAGS_BLACKPOINTCOMPENSATION;
  const toCmyk16 = lcms.cmsCreateTransform(srgb, mod.TYPE_RGB_16, cmyk, mod.TYPE_CMYK_16, intent, flags);
  const toRgb16 = lcms.cmsCreateTransform(cmyk, mod.TYPE_CMYK_16, srgb, mod.TYPE_RGB_16, intent, flags);
  const toCmyk8 = lcms.cmsCreateTransform(srgb, mod.TYPE_RGB_8, cmyk, mod.TYPE_CMYK_8, intent, flags);
  return { lcms, toCmyk16, toRgb16, toCmyk8 };
}

function converterFor({ lcms, toCmyk16, toRgb16, toCmyk8 }: Transforms): ColourConverter {
  const cache = new Map<string, DeviceColour>();
  /** One colour through a 16-bit transform, once per converter; each conversion is reported. */
  const convert = (colour: Colour, values: number[], transform: number, output: 'press' | 'screen'): DeviceColour => {
    const key = `${output}${formatColour(colour)}`;
    let out = cache.get(key);
    if (!out) {
      const v = Array.from(
        lcms.cmsDoTransform(transform, new Uint16Array(values.map((x) => Math.round(x * 65535))), 1),
        (x) => Math.round((x / 65535) * 1000) / 1000,
      );
      out = output === 'press' ? { space: 'cmyk', cmyk: v } : { space: 'rgb', rgb: v };
      cache.set(key, out);
      converter.conversions.push(`${formatColour(colour)} → ${formatColour(out)} for the ${output}`);
    }
    return out;
  };
  const converter: ColourConverter = {
    conversions: [],
    forPress(colour) {
      if (colour.space === 'cmyk') return { space: 'cmyk', cmyk: colour.cmyk };
      const [r, g, b] = colour.rgb;
      if (r === g && g === b) return { space: 'gray', value: r };
      return convert(colour, colour.rgb, toCmyk16, 'press');
    },
    forScreen(colour) {
      if (colour.space === 'rgb') return { space: 'rgb', rgb: colour.rgb };
      return convert(colour, colour.cmyk, toRgb16, 'screen');
    },
    imageToCmyk(pixels, channels, count) {
      let rgb = pixels;
      if (channels === 4) {
        // Flattened on white paper: PDF/X-1a has no transparency, so alpha cannot become an SMask.
        rgb = new Uint8Array(count * 3);
        for (let i = 0; i < count; i++) {
          const a = pixels[i * 4 + 3]!;
          for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round((pixels[i * 4 + c]! * a + 255 * (255 - a)) / 255);
        }
      }
      return lcms.cmsDoTransform(toCmyk8, rgb, count) as Uint8Array;
    },
  };
  return converter;
}
