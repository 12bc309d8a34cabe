// A small inline SVG chart of fires per minute (bars) and their lateness (p50 and p99 lines), drawn from
// GET /stats/fires. No library: a few rects and two polylines, with a <title> per minute for hover.

const NS = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 160;
const PAD = { left: 44, right: 56, top: 10, bottom: 22 };

function el(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

function title(text) {
  const t = el('title');
  t.textContent = text;
  return t;
}

function label(x, y, text, anchor = 'start', cls = 'axis') {
  const t = el('text', { x, y, 'text-anchor': anchor, class: cls });
  t.textContent = text;
  return t;
}

function ms(v) {
  if (v === null || v === undefined) return '—';
  return v >= 10000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

/** The chart for `stats` ({from, to, buckets}); one slot per minute of the window, empty minutes blank. */
export function fireChart(stats) {
  const from = Date.parse(stats.from);
  const to = Date.parse(stats.to);
  const minutes = Math.max(1, Math.ceil((to - from) / 60000));
  const buckets = stats.buckets || [];
  const maxFires = Math.max(1, ...buckets.map(b => b.fires));
  const maxLate = Math.max(1, ...buckets.map(b => b.p99LatenessMs ?? 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / minutes;
  const x = t => PAD.left + ((Date.parse(t) - from) / 60000) * slot;
  const yFires = n => PAD.top + plotH - (n / maxFires) * plotH;
  const yLate = v => PAD.top + plotH - (v / maxLate) * plotH;

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', id: 'fire-chart-svg',
    'aria-label': `Fires per minute and their lateness over the last ${minutes} minutes` });
  svg.append(el('line', { x1: PAD.left, y1: PAD.top + plotH, x2: PAD.left + plotW, y2: PAD.top + plotH, class: 'axis-line' }));
  for (const b of buckets) {
    const bx = x(b.minute);
    svg.append(el('rect', { class: 'fires', x: bx + 0.5, y: yFires(b.fires), width: Math.max(1, slot - 1),
      height: PAD.top + plotH - yFires(b.fires), 'data-minute': b.minute, 'data-fires': b.fires },
    title(`${new Date(b.minute).toLocaleTimeString()}: ${b.fires} fires, ${b.started} started; lateness p50 ${ms(b.p50LatenessMs)}, p99 ${ms(b.p99LatenessMs)}`)));
  }
  for (const [key, cls] of [['p50LatenessMs', 'p50'], ['p99LatenessMs', 'p99']]) {
    const measured = buckets.filter(b => b[key] !== null && b[key] !== undefined);
    const points = measured.map(b => [x(b.minute) + slot / 2, yLate(b[key])]);
    if (!points.length) continue;
    svg.append(el('polyline', { class: `lateness ${cls}`, points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ') }));
    // A dot per minute, so that a single minute (or one between empty ones) still shows.
    points.forEach(([px, py]) => svg.append(el('circle', { class: `lateness ${cls}`, cx: px.toFixed(1), cy: py.toFixed(1), r: 2 })));
  }
  svg.append(
    label(PAD.left - 4, PAD.top + 8, String(maxFires), 'end'),
    label(PAD.left - 4, PAD.top + plotH, '0', 'end'),
    label(PAD.left + plotW + 4, PAD.top + 8, ms(maxLate)),
    label(PAD.left + plotW + 4, PAD.top + plotH, '0 ms'),
    label(PAD.left, H - 6, new Date(from).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    label(PAD.left + plotW, H - 6, 'now', 'end'));
  return svg;
}

/** A one-line summary of the window: total fires, and the worst p99 minute. */
export function fireSummary(stats) {
  const buckets = stats.buckets || [];
  const fires = buckets.reduce((s, b) => s + b.fires, 0);
  const worst = buckets.reduce((m, b) => Math.max(m, b.p99LatenessMs ?? 0), 0);
  const last = [...buckets].reverse().find(b => b.p50LatenessMs !== null && b.p50LatenessMs !== undefined);
  return `${fires} fires · latest minute's lateness p50 ${ms(last?.p50LatenessMs)}, p99 ${ms(last?.p99LatenessMs)} · worst p99 ${ms(buckets.length ? worst : null)}`;
}
