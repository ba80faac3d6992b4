// A small-multiples SVG: one panel per adversarial family, time against input size
// (both logarithmic), one line per library. Written by hand: no plotting dependency.
const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
const W = 260;
const H = 190;
const PAD = { left: 44, right: 8, top: 22, bottom: 28 };

function esc(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

export function plot(series, sizes) {
  const families = Object.keys(series);
  const libraries = [...new Set(families.flatMap((f) => Object.keys(series[f])))];
  const cols = 4;
  const rows = Math.ceil(families.length / cols);
  const legendH = 20 + 16 * Math.ceil(libraries.length / 3);
  const width = cols * W;
  const height = rows * H + legendH;
  const all = families.flatMap((f) => Object.values(series[f]).flatMap((pts) => pts.map(([, ms]) => ms).filter((ms) => ms > 0)));
  const yMin = Math.log10(Math.max(1e-3, Math.min(...all)));
  const yMax = Math.log10(Math.max(...all)) + 0.2;
  const xMin = Math.log10(Math.min(...sizes));
  const xMax = Math.log10(Math.max(...sizes));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`, `<rect width="100%" height="100%" fill="white"/>`];
  families.forEach((family, i) => {
    const ox = (i % cols) * W;
    const oy = Math.floor(i / cols) * H;
    const x = (size) => ox + PAD.left + ((Math.log10(size) - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right);
    const y = (ms) => oy + H - PAD.bottom - ((Math.log10(ms) - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
    parts.push(`<text x="${ox + W / 2}" y="${oy + 14}" text-anchor="middle" font-weight="bold">${esc(family)}</text>`);
    parts.push(`<rect x="${ox + PAD.left}" y="${oy + PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#ccc"/>`);
    for (let e = Math.ceil(yMin); e <= Math.floor(yMax); e++) {
      parts.push(`<text x="${ox + PAD.left - 4}" y="${y(10 ** e) + 3}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(-e)} ms</text>`);
    }
    for (const size of [sizes[0], sizes[sizes.length - 1]]) {
      parts.push(`<text x="${x(size)}" y="${oy + H - 10}" text-anchor="middle">${size >= 1 << 20 ? `${size / (1 << 20)} MiB` : `${size / 1024} KiB`}</text>`);
    }
    libraries.forEach((lib, k) => {
      const pts = (series[family][lib] ?? []).filter(([, ms]) => ms > 0);
      if (pts.length === 0) return;
      const d = pts.map(([s, ms], j) => `${j === 0 ? "M" : "L"}${x(s).toFixed(1)},${y(ms).toFixed(1)}`).join(" ");
      parts.push(`<path d="${d}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="${k === 0 ? 2.5 : 1.2}"/>`);
    });
  });
  libraries.forEach((lib, k) => {
    const lx = 10 + (k % 3) * (width / 3);
    const ly = rows * H + 16 + 16 * Math.floor(k / 3);
    parts.push(`<line x1="${lx}" y1="${ly - 3}" x2="${lx + 20}" y2="${ly - 3}" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 26}" y="${ly}">${esc(lib)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}
