#!/usr/bin/env node
/**
 * Draws the pictures of the shipped commemorative booklet (content/assets/booklet/): a cover, a summer
 * steppe, the Tian Shan range, a city at dusk and a cherry branch. They are procedural drawings made by
 * this script, so they ship under the project's licence; nothing is photographed or copied.
 *
 * Every picture is computed pixel by pixel from smooth functions (gradients, value noise, signed
 * distances with a one-pixel soft edge), seeded, so running the script again gives the same pixels.
 * Sizes are chosen for 300 dpi or more where the booklet places them (A5: the full text width is about
 * 110 mm, so 1,300 px; half width 650 px; the cover bleeds to 154 × 216 mm, 1,820 × 2,552 px).
 *
 * Usage: node scripts/make-booklet-photos.mjs [outDir]   (default content/assets/booklet)
 * mupdf (a dev-time dependency of the render/check tools) encodes the PNG and JPEG files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as mupdf from 'mupdf';

const outDir = process.argv[2] ?? 'content/assets/booklet';
mkdirSync(outDir, { recursive: true });

// ---------------------------------------------------------------------------------------------------
// Small numeric helpers

const clamp01 = (v) => Math.min(Math.max(v, 0), 1);
const mix = (a, b, t) => a + (b - a) * t;
const smoothstep = (e0, e1, x) => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};
const hex = (h) => [Number.parseInt(h.slice(1, 3), 16), Number.parseInt(h.slice(3, 5), 16), Number.parseInt(h.slice(5, 7), 16)];
const mixColour = (a, b, t) => [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)];

/** Deterministic hash noise in [0, 1) for integer lattice points. */
function hash2(x, y, seed) {
  let h = (x * 374761393 + y * 668265263 + seed * 2147483647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1). */
function noise2(x, y, seed) {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const xf = x - xi;
  const yf = y - yi;
  const u = xf * xf * (3 - 2 * xf);
  const v = yf * yf * (3 - 2 * yf);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return mix(mix(a, b, u), mix(c, d, u), v);
}

/** Fractal noise: octaves of value noise, in about [0, 1). */
function fbm(x, y, seed, octaves = 5) {
  let sum = 0;
  let amp = 0.5;
  let freq = 1;
  let norm = 0;
  for (let i = 0; i < octaves; i++) {
    sum += amp * noise2(x * freq, y * freq, seed + i * 17);
    norm += amp;
    amp *= 0.5;
    freq *= 2.03;
  }
  return sum / norm;
}

/** One-dimensional fractal noise for ridge lines. */
const fbm1 = (x, seed, octaves = 6) => fbm(x, 0.5, seed, octaves);

// ---------------------------------------------------------------------------------------------------
// A picture is a function (x, y in pixels) → [r, g, b] (0…255), drawn into an RGB pixmap.

function draw(width, height, shade) {
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, width, height], false);
  const pixels = pixmap.getPixels();
  const stride = pixmap.getStride();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = shade(x + 0.5, y + 0.5);
      const i = y * stride + x * 3;
      pixels[i] = r;
      pixels[i + 1] = g;
      pixels[i + 2] = b;
    }
  }
  return pixmap;
}

function save(name, pixmap, format) {
  pixmap.setResolution(300, 300);
  const bytes = format === 'jpeg' ? pixmap.asJPEG(90) : pixmap.asPNG();
  writeFileSync(join(outDir, name), bytes);
  console.log(`${name}: ${pixmap.getWidth()} × ${pixmap.getHeight()} px, ${bytes.length} bytes`);
}

/** Gentle film grain so that large flat areas do not band. */
const grain = (x, y, seed, amount) => (hash2(x | 0, y | 0, seed) - 0.5) * amount;

// ---------------------------------------------------------------------------------------------------
// Cover: the sky-blue and gold of the Kazakh flag meeting a red rising sun over the steppe. The upper
// half is left calm for the title.

function cover() {
  const width = 1820;
  const height = 2552;
  const skyTop = hex('#0a8fb8');
  const skyLow = hex('#9fdcec');
  const gold = hex('#f3c23b');
  const red = hex('#c8102e');
  const sunX = width * 0.5;
  const sunY = height * 0.64;
  const sunR = width * 0.17;
  return draw(width, height, (x, y) => {
    const t = y / height;
    let c = mixColour(skyTop, skyLow, smoothstep(0.05, 0.7, t));
    // Thin golden rays around the sun, fading with distance.
    const dx = x - sunX;
    const dy = y - sunY;
    const r = Math.hypot(dx, dy);
    const angle = Math.atan2(dy, dx);
    const ray = 0.5 + 0.5 * Math.cos(angle * 32);
    const rayMask = smoothstep(0.82, 0.98, ray) * smoothstep(sunR * 3.2, sunR * 1.15, r) * smoothstep(sunR * 1.02, sunR * 1.15, r);
    c = mixColour(c, gold, rayMask * 0.85);
    // The sun: a red disc with a golden ring.
    const ring = smoothstep(sunR + 12, sunR + 10, r) * smoothstep(sunR - 2, sunR, r);
    c = mixColour(c, red, smoothstep(sunR + 1, sunR - 1, r));
    c = mixColour(c, gold, ring);
    // Three layers of steppe hills in front of the sun.
    const layers = [
      { base: 0.7, amp: 0.05, seed: 11, colour: hex('#8fb05a') },
      { base: 0.78, amp: 0.04, seed: 23, colour: hex('#6d9441') },
      { base: 0.87, amp: 0.035, seed: 37, colour: hex('#4f7631') },
    ];
    for (const layer of layers) {
      const ridge = height * (layer.base - layer.amp * fbm1((x / width) * 3, layer.seed));
      const cover = smoothstep(ridge - 1, ridge + 1, y);
      const shade = 0.9 + 0.2 * fbm(x / 90, y / 30, layer.seed + 5, 3);
      const ground = layer.colour.map((v) => v * shade);
      c = mixColour(c, ground, cover);
    }
    const n = grain(x, y, 3, 6);
    return [c[0] + n, c[1] + n, c[2] + n];
  });
}

// ---------------------------------------------------------------------------------------------------
// Summer steppe: a wide sky with clouds, green grassland to the horizon, three yurts.

function steppe() {
  const width = 1600;
  const height = 1000;
  const horizon = height * 0.58;
  const skyTop = hex('#3d7fc4');
  const skyLow = hex('#cfe6f5');
  const grassFar = hex('#9db86a');
  const grassNear = hex('#4d7a2a');
  const yurts = [
    { x: 0.28, w: 0.075 },
    { x: 0.36, w: 0.06 },
    { x: 0.71, w: 0.05 },
  ].map((yurt) => ({ cx: yurt.x * width, w: yurt.w * width }));
  return draw(width, height, (x, y) => {
    let c = mixColour(skyTop, skyLow, smoothstep(0, horizon, y));
    {
      // Cumulus: thresholded fractal noise, brighter on top.
      const cloud = smoothstep(0.55, 0.75, fbm(x / 260, y / 110, 7, 6)) * smoothstep(horizon, horizon * 0.45, y);
      const lit = 0.85 + 0.15 * smoothstep(0.75, 0.55, fbm(x / 260, (y + 25) / 110, 7, 6));
      c = mixColour(c, [255 * lit, 255 * lit, 255 * lit], cloud * 0.95);
    }
    const rolling = horizon + 6 * Math.sin(x / 210) + 4 * fbm1(x / 300, 41);
    if (y >= rolling - 1) {
      const depth = smoothstep(rolling, height, y);
      const tuft = fbm(x / (6 + 30 * (1 - depth)), y / 4, 19, 4);
      let g = mixColour(grassFar, grassNear, depth);
      g = g.map((v) => v * (0.8 + 0.35 * tuft));
      // Scattered yellow flowers in the foreground.
      const flower = depth > 0.45 && hash2((x / 5) | 0, (y / 5) | 0, 77) > 0.985 ? 1 : 0;
      g = mixColour(g, hex('#f2d13a'), flower * 0.9);
      const edge = smoothstep(rolling - 1, rolling + 1, y);
      c = mixColour(c, g, edge);
    }
    // Yurts: white felt domes on a cylinder, with a dark door, sitting on the horizon.
    for (const { cx, w } of yurts) {
      const baseY = horizon + 10;
      const wallTop = baseY - w * 0.42;
      const half = w / 2;
      const inWall = Math.abs(x - cx) < half && y > wallTop && y < baseY;
      const domeH = w * 0.3;
      const u = (x - cx) / half;
      const domeY = wallTop - domeH * Math.sqrt(Math.max(0, 1 - u * u * 0.92));
      const inDome = Math.abs(u) < 1.02 && y >= domeY && y <= wallTop;
      if (inWall || inDome) {
        const shadeSide = 0.82 + 0.18 * (1 - (u + 1) / 2);
        let felt = [240 * shadeSide, 236 * shadeSide, 224 * shadeSide];
        if (inWall && (y - wallTop) % (w * 0.14) < 3) felt = [150, 90, 60];
        if (inWall && Math.abs(x - cx) < w * 0.08 && y > baseY - w * 0.3) felt = [120, 40, 40];
        c = felt;
      }
    }
    const n = grain(x, y, 5, 5);
    return [c[0] + n, c[1] + n, c[2] + n];
  });
}

// ---------------------------------------------------------------------------------------------------
// Tian Shan: ridges fading into blue haze, snow on the high peaks, a dark spruce slope in front.

function mountains() {
  const width = 1600;
  const height = 900;
  const sky = hex('#8ec5e8');
  const skyHigh = hex('#2f6fa8');
  const ranges = [
    { base: 0.52, amp: 0.36, freq: 2.2, seed: 101, colour: hex('#6f8099'), snow: 0.55 },
    { base: 0.62, amp: 0.26, freq: 3.1, seed: 131, colour: hex('#56677e'), snow: 0.6 },
    { base: 0.78, amp: 0.16, freq: 4.5, seed: 151, colour: hex('#2f4a3c'), snow: -1 },
  ];
  return draw(width, height, (x, y) => {
    let c = mixColour(skyHigh, sky, smoothstep(0, height * 0.6, y));
    ranges.forEach((range, index) => {
      const sharp = 1 - Math.abs(2 * fbm1((x / width) * range.freq, range.seed) - 1);
      const ridge = height * (range.base - range.amp * sharp * sharp);
      if (y < ridge - 1) return;
      const cover = smoothstep(ridge - 1, ridge + 1, y);
      // Light from the left: the slope's direction, read from the ridge line's neighbours.
      const left = 1 - Math.abs(2 * fbm1(((x - 3) / width) * range.freq, range.seed) - 1);
      const slope = (sharp * sharp - left * left) * 12;
      let rock = range.colour.map((v) => v * (0.9 + 0.25 * clamp01(0.5 + slope)) * (0.85 + 0.3 * fbm(x / 45, y / 45, range.seed, 5)));
      if (range.snow > 0) {
        // Snow above a ragged line in the upper part of each range's height, streaking down gullies.
        const snowLine = height * (range.base - range.amp * range.snow) + 50 * (fbm(x / 35, y / 90, range.seed + 3, 5) - 0.5);
        rock = mixColour(
          rock,
          [245, 248, 252].map((v) => v * (0.86 + 0.14 * clamp01(0.5 + slope))),
          smoothstep(snowLine + 3, snowLine - 3, y),
        );
      }
      // Haze: farther ranges take on the sky's colour.
      const haze = [0.35, 0.18, 0][index] ?? 0;
      rock = mixColour(rock, sky, haze);
      if (range.snow < 0) {
        // Spruce: narrow dark triangles along the front slope.
        const col = Math.floor(x / 14);
        const treeTop = ridge + 20 + 60 * hash2(col, 3, 9);
        const cx = col * 14 + 7;
        const spread = (y - treeTop) * 0.28;
        if (y > treeTop && Math.abs(x - cx) < spread) rock = hex('#1d3328').map((v) => v * (0.8 + 0.4 * hash2(col, 5, 9)));
      }
      c = mixColour(c, rock, cover);
    });
    const n = grain(x, y, 9, 5);
    return [c[0] + n, c[1] + n, c[2] + n];
  });
}

// ---------------------------------------------------------------------------------------------------
// City at dusk: an orange-to-violet sky, tower blocks with lit windows, and a slender tower crowned by
// a golden sphere.

function city() {
  const width = 900;
  const height = 1200;
  const top = hex('#2b2350');
  const middle = hex('#b0507a');
  const low = hex('#f5a25a');
  const blocks = [];
  let bx = -20;
  let k = 0;
  while (bx < width + 20) {
    const w = 50 + 70 * hash2(k, 1, 4);
    const h = 180 + 330 * hash2(k, 2, 4);
    blocks.push({ x0: bx, x1: bx + w, top: height - 120 - h, seed: k });
    bx += w + 6 + 20 * hash2(k, 3, 4);
    k++;
  }
  const towerX = width * 0.52;
  const sphereY = height * 0.3;
  const sphereR = 42;
  return draw(width, height, (x, y) => {
    const t = y / height;
    let c = t < 0.45 ? mixColour(top, middle, smoothstep(0, 0.45, t)) : mixColour(middle, low, smoothstep(0.45, 0.85, t));
    // A few early stars.
    if (t < 0.3 && hash2(x | 0, y | 0, 21) > 0.9993) c = [255, 250, 230];
    // Tower: a column that widens at the foot and branches into a cup holding the sphere.
    const towerHalf = 10 + 26 * smoothstep(height * 0.5, height - 120, y);
    if (y > sphereY + sphereR * 0.6 && Math.abs(x - towerX) < towerHalf)
      c = mixColour([235, 232, 240], [150, 140, 170], clamp01((x - towerX + towerHalf) / (2 * towerHalf)));
    const cup =
      y > sphereY &&
      y < sphereY + sphereR * 1.4 &&
      Math.abs(x - towerX) < sphereR * 1.2 * smoothstep(sphereY + sphereR * 1.4, sphereY + sphereR * 0.2, y) &&
      Math.abs(x - towerX) > sphereR * 0.7;
    if (cup) c = [225, 222, 235];
    const d = Math.hypot(x - towerX, y - sphereY);
    const glow = smoothstep(sphereR * 2.6, sphereR, d) * 0.35;
    c = mixColour(c, [255, 220, 120], glow);
    if (d < sphereR + 1) {
      const light = clamp01(0.6 + 0.5 * ((towerX - x) / sphereR) * 0.5 + 0.3 * ((sphereY - y) / sphereR));
      c = mixColour(c, mixColour([190, 120, 20], [255, 226, 120], light), smoothstep(sphereR + 1, sphereR - 1, d));
    }
    // Tower blocks with windows; those near the tower are lower so it stands free.
    for (const b of blocks) {
      const nearTower = Math.abs((b.x0 + b.x1) / 2 - towerX) < 120;
      const topY = nearTower ? Math.max(b.top, height - 330) : b.top;
      if (x >= b.x0 && x < b.x1 && y >= topY) {
        const shade = 0.75 + 0.25 * hash2(b.seed, 6, 4);
        c = [40 * shade, 36 * shade, 62 * shade];
        const wx = (x - b.x0) % 14;
        const wy = (y - topY) % 20;
        if (wx > 4 && wx < 10 && wy > 6 && wy < 14 && hash2(((x - b.x0) / 14) | 0, ((y - topY) / 20) | 0, b.seed + 50) > 0.55) {
          c = [250, 214, 140];
        }
      }
    }
    // River embankment at the foot, reflecting the sky.
    if (y > height - 120) {
      const ripple = 0.85 + 0.15 * Math.sin(y * 0.9 + 6 * fbm(x / 30, y / 8, 13, 3));
      c = mixColour(low, middle, smoothstep(height - 120, height, y)).map((v) => v * ripple * 0.8);
    }
    const n = grain(x, y, 11, 5);
    return [c[0] + n, c[1] + n, c[2] + n];
  });
}

// ---------------------------------------------------------------------------------------------------
// Cherry branch: a dark branch across a pale sky, with five-petalled blossoms.

function sakura() {
  const width = 1000;
  const height = 1000;
  const skyTop = hex('#cfe3f3');
  const skyLow = hex('#f6f2ee');
  const petal = hex('#f7c6d3');
  const petalDeep = hex('#e98aa6');
  // The branch as a quadratic Bézier, sampled into segments with a tapering width.
  const branch = [];
  const p0 = [-40, 760];
  const p1 = [420, 520];
  const p2 = [1040, 300];
  for (let i = 0; i <= 200; i++) {
    const t = i / 200;
    const x = (1 - t) * (1 - t) * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0];
    const y = (1 - t) * (1 - t) * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1] + 14 * Math.sin(t * 19);
    branch.push({ x, y, w: 26 - 18 * t });
  }
  const twig = [];
  for (let i = 0; i <= 80; i++) {
    const t = i / 80;
    twig.push({ x: 380 + 260 * t, y: 560 + 170 * t + 20 * Math.sin(t * 7), w: 11 - 7 * t });
  }
  const blossoms = [];
  let seed = 0;
  for (const line of [branch, twig]) {
    for (let i = 10; i < line.length; i += 9) {
      const p = line[i];
      const side = hash2(seed, 1, 8) > 0.5 ? 1 : -1;
      blossoms.push({
        x: p.x + 40 * (hash2(seed, 2, 8) - 0.3),
        y: p.y + side * (20 + 45 * hash2(seed, 3, 8)),
        r: 30 + 22 * hash2(seed, 4, 8),
        turn: hash2(seed, 5, 8) * Math.PI,
      });
      seed++;
    }
  }
  const distanceToLine = (x, y, line) => {
    let best = Number.POSITIVE_INFINITY;
    let width = 0;
    for (const p of line) {
      const d = Math.hypot(x - p.x, y - p.y);
      if (d - p.w < best) {
        best = d - p.w;
        width = p.w;
      }
    }
    return { d: best, width };
  };
  return draw(width, height, (x, y) => {
    let c = mixColour(skyTop, skyLow, smoothstep(0, height, y));
    for (const line of [branch, twig]) {
      const { d } = distanceToLine(x, y, line);
      if (d < 1.5) {
        const bark = hex('#4a3026').map((v) => v * (0.8 + 0.4 * fbm(x / 6, y / 18, 31, 3)));
        c = mixColour(c, bark, smoothstep(1.5, -0.5, d));
      }
    }
    for (const b of blossoms) {
      const dx = x - b.x;
      const dy = y - b.y;
      const r = Math.hypot(dx, dy);
      if (r > b.r * 1.1) continue;
      // Five petals: the radius varies with the angle; each petal has a small notch at its tip.
      const a = Math.atan2(dy, dx) + b.turn;
      const lobe = Math.abs(Math.cos((a * 5) / 2));
      const notch = 1 - 0.12 * smoothstep(0.97, 1, lobe);
      const edge = b.r * (0.55 + 0.45 * lobe) * notch;
      const inside = smoothstep(edge + 1, edge - 1, r);
      let p = mixColour(petalDeep, petal, smoothstep(0, b.r * 0.5, r));
      // Stamens: fine dark-pink lines with yellow tips around the centre.
      if (r < b.r * 0.32 && Math.abs(Math.sin(a * 9)) < 0.12) p = hex('#c2456b');
      if (r > b.r * 0.28 && r < b.r * 0.34 && Math.abs(Math.sin(a * 9)) < 0.2) p = hex('#f0c040');
      c = mixColour(c, p, inside);
    }
    const n = grain(x, y, 13, 4);
    return [c[0] + n, c[1] + n, c[2] + n];
  });
}

if (!process.env.ONLY || process.env.ONLY === 'cover') save('cover.jpg', cover(), 'jpeg');
if (!process.env.ONLY || process.env.ONLY === 'steppe') save('steppe.jpg', steppe(), 'jpeg');
if (!process.env.ONLY || process.env.ONLY === 'mountains') save('mountains.png', mountains(), 'png');
if (!process.env.ONLY || process.env.ONLY === 'city') save('city.jpg', city(), 'jpeg');
if (!process.env.ONLY || process.env.ONLY === 'sakura') save('sakura.png', sakura(), 'png');
