// The brief's score history: the customer's stage and its tier score and
// risks at each rescoring (customer.history), as a small SVG chart drawn
// here, with no chart library. The stage steps along six rows above; the
// tier score and the replacement and churn risks, all 0–1, run below.
import { gql } from "./api.js";
import { historyQuery } from "./queries.js";
import { h } from "./dom.js";
import { t, e, date, percent, addWords, STAGES } from "./i18n.js";

addWords({
  history: ["评分历史", "Score history"],
  noHistory: ["尚无评分记录。", "Not scored yet."],
  tierScore: ["分级得分", "tier score"],
  historyPoints: ["最近 {0} 次评分，{1} 至 {2}", "Scorings: {0}, {1} to {2}"],
});

const W = 640, // viewBox width
  STAGE_H = 96, // the stage band
  GAP = 14,
  SCORE_H = 90, // the 0–1 band
  LEFT = 78,
  RIGHT = 8,
  H = STAGE_H + GAP + SCORE_H + 18;

const NS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

/** The history query, sent early: the brief page asks for it beside the brief. */
export function fetchHistory(customerId) {
  return gql(historyQuery, { id: customerId, first: 60 });
}

/** The history section, filled in once the API answers (pending: fetchHistory's promise, if sent already). */
export function historySection(customerId, pending) {
  const body = h("div", { class: "history", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
  load(customerId, body, pending);
  return h("section", { "aria-labelledby": "history", class: "history-section" }, h("h2", { id: "history" }, t("history")), body);
}

async function load(id, body, pending) {
  try {
    const data = await (pending || fetchHistory(id));
    const points = data.customer ? data.customer.history.slice().reverse() : []; // oldest first
    if (!points.length) body.replaceChildren(h("p", { class: "muted" }, t("noHistory")));
    else body.replaceChildren(chart(points), legend(points));
  } catch (err) {
    body.replaceChildren(h("p", { class: "error" }, t("error") + err.message));
  }
  body.removeAttribute("aria-busy");
}

function chart(points) {
  const times = points.map((p) => new Date(p.at).getTime());
  const t0 = times[0],
    t1 = times[times.length - 1];
  const x = (tm) => (t1 === t0 ? (LEFT + W - RIGHT) / 2 : LEFT + ((tm - t0) / (t1 - t0)) * (W - LEFT - RIGHT));
  const rowH = STAGE_H / STAGES.length;
  const ys = (stage) => STAGE_H - (STAGES.indexOf(stage) + 0.5) * rowH; // EXPANDING at the top
  const top = STAGE_H + GAP;
  const yv = (v) => top + SCORE_H - v * SCORE_H;
  const line = (f, cls) => {
    const d = points.map((p, i) => `${i ? "L" : "M"}${x(times[i]).toFixed(1)},${yv(f(p)).toFixed(1)}`).join("");
    return s("path", { d, class: cls, fill: "none" });
  };
  // The stage as steps: it holds until the next scoring.
  let step = "";
  points.forEach((p, i) => {
    const px = x(times[i]).toFixed(1),
      py = ys(p.stage).toFixed(1);
    step += i ? `H${px}V${py}` : `M${px},${py}`;
  });
  const svg = s(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, class: "history-chart", role: "img", "aria-label": `${t("history")}: ${points.map((p) => `${date(p.at)} ${e(p.stage)} ${e(p.tier)}`).join("; ")}` },
    STAGES.map((st) => [
      s("line", { x1: LEFT, x2: W - RIGHT, y1: ys(st), y2: ys(st), class: "grid" }),
      s("text", { x: LEFT - 6, y: ys(st) + 3, "text-anchor": "end", class: "axis" }, e(st)),
    ]),
    [0, 0.5, 1].map((v) => [
      s("line", { x1: LEFT, x2: W - RIGHT, y1: yv(v), y2: yv(v), class: "grid" }),
      s("text", { x: LEFT - 6, y: yv(v) + 3, "text-anchor": "end", class: "axis" }, percent(v)),
    ]),
    s("path", { d: step, class: "stage-line", fill: "none" }),
    line((p) => p.tierScore, "tier-line"),
    line((p) => p.risks.replacement, "risk-line replacement"),
    line((p) => p.risks.churn, "risk-line churn"),
    // Dots as well as lines: a single scoring has no line to draw.
    points.map((p, i) => [
      s("circle", { cx: x(times[i]), cy: yv(p.tierScore), r: 2.5, class: "tier-point" }),
      s("circle", { cx: x(times[i]), cy: yv(p.risks.replacement), r: 2, class: "risk-point replacement" }),
      s("circle", { cx: x(times[i]), cy: yv(p.risks.churn), r: 2, class: "risk-point churn" }),
    ]),
    points.map((p, i) =>
      s(
        "circle",
        { cx: x(times[i]), cy: ys(p.stage), r: 3.5, class: p.stageBy ? "point corrected" : "point" },
        s("title", {}, `${date(p.at)}: ${e(p.stage)}${p.stageBy ? ` (${p.stageBy})` : ""} · ${t("tier")} ${e(p.tier)} ${p.tierScore.toFixed(2)}`),
      ),
    ),
    s("text", { x: LEFT, y: H - 2, class: "axis" }, date(points[0].at)),
    s("text", { x: W - RIGHT, y: H - 2, "text-anchor": "end", class: "axis" }, date(points[points.length - 1].at)),
  );
  return svg;
}

function legend(points) {
  return h(
    "p",
    { class: "legend muted" },
    t("historyPoints", points.length, date(points[0].at), date(points[points.length - 1].at)),
    " · ",
    h("span", { class: "key stage-key" }, t("stage")),
    " ",
    h("span", { class: "key tier-key" }, t("tierScore")),
    " ",
    h("span", { class: "key replacement-key" }, t("replacement")),
    " ",
    h("span", { class: "key churn-key" }, t("churn")),
  );
}
