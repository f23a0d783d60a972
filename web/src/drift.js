// Drift (分级漂移): the customers whose tier or stage moved since a time,
// biggest moves first, each with how far (levels, an arrow up or down) and
// why (the factors whose contributions moved most, in the API's own Chinese
// and English sentences), each linking to the customer's brief. Managers,
// analysts and admins; the API refuses a rep, and the page says so.
import { gql } from "./api.js";
import { driftQuery } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, pickLang, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";

addWords({
  drift: ["分级漂移", "Drift"],
  driftIntro: [
    "所选时间之前与现在相比，分级或价值阶段发生变化的客户，变化最大的在前，并列出推动变化的因素。",
    "Customers whose tier or stage moved between their last scoring before the chosen time and now, biggest moves first, with the factors that moved them.",
  ],
  driftSince: ["时间范围", "Since"],
  driftDays: ["近 {0} 天", "{0} days"],
  driftLevels: ["至少变化", "Moved at least"],
  driftLevel: ["{0} 级", "{0} level(s)"],
  driftNone: ["这段时间没有客户的分级或阶段发生变化。", "No customer's tier or stage moved in this time."],
  driftCount: ["{0} 个客户发生变化：{1} 个上升，{2} 个下降", "Customers moved: {0} ({1} up, {2} down)"],
  driftCustomer: ["客户", "Customer"],
  driftCauses: ["原因", "Why"],
  driftUp: ["上升 {0} 级", "up {0}"],
  driftDown: ["下降 {0} 级", "down {0}"],
  driftSame: ["未变", "unchanged"],
  causeTier: ["分级", "tier"],
  causeStage: ["阶段", "stage"],
});

const DAYS = [7, 30, 90];

export async function driftPage(main) {
  document.title = `${t("drift")} · ValueGraph`;
  const params = new URLSearchParams(location.search);
  const days = DAYS.includes(Number(params.get("days"))) ? Number(params.get("days")) : 30;
  const levels = params.get("levels") === "2" ? 2 : 1;
  const href = (d, l) => `/drift?days=${d}${l > 1 ? `&levels=${l}` : ""}`;
  const since = new Date(Date.now() - days * 24 * 3600 * 1000);

  const picker = h(
    "div",
    { class: "drift-picker" },
    h(
      "p",
      { class: "tabs", role: "group", "aria-label": t("driftSince") },
      h("span", { class: "muted" }, t("driftSince")),
      DAYS.map((d) => h("a", { href: href(d, levels), "data-link": true, "data-days": d, "aria-current": d === days ? "page" : null }, t("driftDays", d))),
    ),
    h(
      "p",
      { class: "tabs", role: "group", "aria-label": t("driftLevels") },
      h("span", { class: "muted" }, t("driftLevels")),
      [1, 2].map((l) => h("a", { href: href(days, l), "data-link": true, "aria-current": l === levels ? "page" : null }, t("driftLevel", l))),
    ),
  );
  const body = h("div", { class: "drift", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
  const heading = h("h1", { tabindex: "-1" }, t("drift"));
  mount(main, heading, h("p", { class: "muted" }, t("driftIntro")), picker, body);

  let data;
  try {
    data = await gql(driftQuery, { since: since.toISOString(), minLevels: levels });
  } catch (err) {
    return showError(body, err);
  }
  body.removeAttribute("aria-busy");
  const rows = data.drift;
  if (!rows.length) {
    mount(body, h("p", { class: "muted drift-none" }, t("driftNone")));
    announce(t("driftNone"));
    return;
  }
  // Up or down by the bigger of the two moves; a tie goes by the tier.
  const dir = (d) => (Math.abs(d.tierLevels) >= Math.abs(d.stageLevels) ? Math.sign(d.tierLevels) : Math.sign(d.stageLevels));
  const up = rows.filter((d) => dir(d) > 0).length;
  const summary = t("driftCount", rows.length, up, rows.length - up);
  mount(
    body,
    h("p", { class: "drift-summary", role: "status" }, summary),
    h(
      "table",
      { class: "data-table drift-table" },
      h("thead", {}, h("tr", {}, [t("driftCustomer"), t("tier"), t("stage"), t("driftCauses")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map(row)),
    ),
  );
  announce(summary);
}

function row(d) {
  const c = d.customer;
  return h(
    "tr",
    { class: "drift-row", "data-id": c.id },
    h("td", {}, h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, c.name), c.region ? h("div", { class: "muted" }, c.region) : null),
    h("td", {}, move(e(d.before.tier), e(d.after.tier), d.tierLevels), h("div", { class: "muted" }, `${d.before.tierScore.toFixed(2)} → ${d.after.tierScore.toFixed(2)}`)),
    h("td", {}, move(e(d.before.stage), e(d.after.stage), d.stageLevels)),
    h(
      "td",
      {},
      h(
        "ul",
        { class: "reasons causes" },
        d.causes.map((x) =>
          h(
            "li",
            { class: `cause ${x.change < 0 ? "against" : "for"}`, "data-factor": x.factor },
            h("span", { class: "contribution", title: t("contribution") }, (x.change >= 0 ? "+" : "−") + Math.abs(x.change).toFixed(2)),
            " ",
            h("span", { class: "badge" }, t(x.score === "tier" ? "causeTier" : "causeStage")),
            " ",
            pickLang(x.zh, x.en),
          ),
        ),
      ),
    ),
  );
}

/** "B → A ▲1": before, after, and how far, with the direction in words for screen readers. */
function move(before, after, levels) {
  if (!levels) return h("span", { class: "move same" }, before, " ", h("span", { class: "muted" }, `(${t("driftSame")})`));
  const up = levels > 0;
  const words = t(up ? "driftUp" : "driftDown", Math.abs(levels));
  return h(
    "span",
    { class: `move ${up ? "up" : "down"}`, "data-levels": levels },
    `${before} → ${after} `,
    h("span", { class: "arrow", "aria-label": words, title: words }, `${up ? "▲" : "▼"}${Math.abs(levels)}`),
  );
}
