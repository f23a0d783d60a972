// The tier as a radar (SVG drawn here, no chart library): its three parts,
// base (purchase volume), growth and health, each 0–1, and between them the
// features each part is made of (tierWhy's reasons and their parts), so a
// rep sees why a customer is A or B rather than only how much it buys.
// Outward is better on every spoke: a base or growth feature shows what it
// adds to its part (its weight times its value, up to 1); a health feature,
// which counts against, shows the health it leaves (1 + its weight times its
// value). The same numbers are in the SVG's label and in a table below it.
import { h } from "./dom.js";
import { t, e, pickLang, percent, addWords } from "./i18n.js";

addWords({
  tierRadar: ["分级雷达", "The tier at a glance"],
  radarNumbers: ["数值", "The numbers"],
  radarPart: ["构成", "Part"],
  radarValue: ["值", "Value"],
  radarWeight: ["权重", "Weight"],
  radarAdds: ["计入", "Adds"],
  radarLabel: ["分级 {0}，得分 {1}：{2}", "Tier {0}, score {1}: {2}"],
  radarOld: ["此次评分未保存各部分的明细。", "This scoring did not keep what each part is made of."],
  part_base: ["基础", "Base"],
  part_growth: ["增长", "Growth"],
  part_health: ["健康", "Health"],
  f_orders: ["订单", "orders"],
  f_imports: ["进口", "imports"],
  f_orderTrend: ["订单趋势", "order trend"],
  f_importTrend: ["进口趋势", "import trend"],
  f_intention: ["采购意向", "intentions"],
  f_tender: ["招标", "tenders"],
  f_research: ["调研", "research"],
  f_pipeline: ["商机", "pipeline"],
  f_tickets: ["工单", "tickets"],
  f_complaints: ["抱怨", "complaints"],
  f_silence: ["沉默", "silence"],
  f_unanswered: ["未回应", "unanswered"],
});

const PARTS = ["base", "growth", "health"];
// Room round the rings for the labels: the parts' names and scores are
// wider than the features'.
const W = 400,
  H = 330,
  CX = W / 2,
  CY = H / 2,
  R = 112;

const NS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

const clip = (x) => Math.max(0, Math.min(1, x));
const word = (key, fallback) => {
  const w = t(key);
  return w === key ? fallback : w;
};
const partName = (p) => word(`part_${p}`, p);
const featName = (f) => word(`f_${f}`, f);

/**
 * The spokes, in order round the radar: each part, then its features.
 * A spoke: {factor, part, main, value (0–1, outward better), reason}.
 */
export function spokes(tierWhy) {
  const byPart = Object.fromEntries(tierWhy.reasons.map((r) => [r.factor, r]));
  const out = [];
  for (const p of PARTS) {
    const r = byPart[p];
    if (!r) continue;
    out.push({ factor: p, part: p, main: true, value: clip(r.value), reason: r });
    const feats = (r.parts || []).slice().sort((a, b) => a.factor.localeCompare(b.factor));
    for (const f of feats) {
      out.push({ factor: f.factor, part: p, main: false, value: p === "health" ? clip(1 + f.contribution) : clip(f.contribution), reason: f });
    }
  }
  return out;
}

/** The radar section for an assessment (null when it is not scored). */
export function radarSection(a) {
  if (!a) return null;
  const sp = spokes(a.tierWhy);
  const hasParts = sp.some((x) => !x.main);
  const n = sp.length;
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const at = (i, v) => [CX + R * v * Math.cos(angle(i)), CY + R * v * Math.sin(angle(i))];
  const pt = (xy) => `${xy[0].toFixed(1)},${xy[1].toFixed(1)}`;
  const summary = sp
    .filter((x) => x.main)
    .map((x) => {
      const feats = sp.filter((f) => !f.main && f.part === x.part).map((f) => `${featName(f.factor)} ${f.reason.value.toFixed(2)}`);
      return `${partName(x.part)} ${percent(x.value)}${feats.length ? ` (${feats.join(", ")})` : ""}`;
    })
    .join("; ");
  const label = t("radarLabel", e(a.tier), a.tierScore.toFixed(2), summary);

  const svg = s(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, class: "tier-radar", role: "img", "aria-label": label, "data-tier": a.tier },
    s("title", {}, label),
    // Rings at a quarter, half, three quarters and the whole.
    [0.25, 0.5, 0.75, 1].map((v) => s("polygon", { class: "ring", points: sp.map((_, i) => pt(at(i, v))).join(" ") })),
    sp.map((x, i) => s("line", { class: x.main ? "spoke main" : "spoke", x1: CX, y1: CY, x2: at(i, 1)[0], y2: at(i, 1)[1] })),
    s("polygon", { class: "area", points: sp.map((x, i) => pt(at(i, x.value))).join(" ") }),
    sp.map((x, i) => {
      const [px, py] = at(i, x.value);
      const [lx, ly] = at(i, x.main ? 1.1 : 1.08);
      const anchor = Math.abs(lx - CX) < 8 ? "middle" : lx < CX ? "end" : "start";
      // Labels above the centre sit on their point's line, below it under it.
      const dy = Math.abs(ly - CY) < 8 ? 3 : ly < CY ? -2 : 9;
      return s(
        "g",
        { class: `axis-point ${x.main ? "main" : "feature"} part-${x.part}`, "data-factor": x.factor, "data-part": x.part, "data-value": x.reason.value, "data-radius": x.value.toFixed(4) },
        s("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: x.main ? 4 : 2.5 }),
        s(
          "text",
          { x: lx.toFixed(1), y: (ly + dy).toFixed(1), "text-anchor": anchor, class: x.main ? "label main" : "label" },
          x.main ? `${partName(x.factor)} ${percent(x.value)}` : featName(x.factor),
        ),
        s("title", {}, `${x.main ? partName(x.factor) : featName(x.factor)}: ${pickLang(x.reason.zh, x.reason.en)}`),
      );
    }),
  );

  const rows = [];
  for (const x of sp.filter((y) => y.main)) {
    rows.push(
      h(
        "tr",
        { class: "part", "data-factor": x.factor },
        h("th", { scope: "row" }, partName(x.factor)),
        h("td", { class: "num" }, x.reason.value.toFixed(2)),
        h("td", { class: "num" }, x.reason.value ? (x.reason.contribution / x.reason.value).toFixed(2) : "—"),
        h("td", { class: "num" }, x.reason.contribution.toFixed(2)),
      ),
    );
    for (const f of sp.filter((y) => !y.main && y.part === x.part)) {
      rows.push(
        h(
          "tr",
          { class: "feature", "data-factor": f.factor, "data-part": f.part },
          h("th", { scope: "row" }, h("span", { class: "indent" }, featName(f.factor)), " ", h("span", { class: "muted" }, pickLang(f.reason.zh, f.reason.en))),
          h("td", { class: "num" }, f.reason.value.toFixed(2)),
          h("td", { class: "num" }, f.reason.value ? (f.reason.contribution / f.reason.value).toFixed(2) : "—"),
          h("td", { class: "num" }, (f.reason.contribution >= 0 ? "+" : "−") + Math.abs(f.reason.contribution).toFixed(2)),
        ),
      );
    }
  }
  const table = h(
    "table",
    { class: "data-table radar-table" },
    h("caption", { class: "muted" }, t("radarLabel", e(a.tier), a.tierScore.toFixed(2), "")),
    h("thead", {}, h("tr", {}, [t("radarPart"), t("radarValue"), t("radarWeight"), t("radarAdds")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows),
  );
  return h(
    "section",
    { "aria-labelledby": "radar", class: "radar-section" },
    h("h2", { id: "radar" }, t("tierRadar"), " ", h("span", { class: "badge" }, `${e(a.tier)} · ${a.tierScore.toFixed(2)}`)),
    svg,
    hasParts ? null : h("p", { class: "muted" }, t("radarOld")),
    h("details", { class: "radar-numbers" }, h("summary", {}, t("radarNumbers")), table),
  );
}
