// The start page: the feed of the caller's subscriptions (feed.js), then
// the customer list: a search box (Chinese or English names and aliases,
// through customers(filter: {text})), stage and tier filters and cursor
// paging. The filters live in the URL (?q=&stage=&tier=), so a list can be
// bookmarked and the back button returns to it.
import { gql } from "./api.js";
import { customersQuery as query } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, date, percent, STAGES, TIERS } from "./i18n.js";
import { navigate } from "./app.js";
import { pagedList } from "./pager.js";
import { feedPanel } from "./feed.js";

const PAGE = 25;


export function customersPage(main, viewer) {
  document.title = `${t("customers")} · ValueGraph`;
  const params = new URLSearchParams(location.search);
  const q = params.get("q") || "";
  const stage = params.get("stage") || "";
  const tier = params.get("tier") || "";

  const select = (id, label, values, value) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("select", { id, name: id }, h("option", { value: "" }, t("all")), values.map((v) => h("option", { value: v, selected: v === value }, e(v)))),
    );
  const form = h(
    "form",
    { class: "filters", role: "search" },
    h("div", { class: "field grow" }, h("label", { for: "q" }, t("search")), h("input", { id: "q", name: "q", type: "search", value: q, autocomplete: "off" })),
    select("stage", t("stage"), STAGES, stage),
    select("tier", t("tier"), TIERS, tier),
    h("button", { type: "submit" }, t("searchButton")),
  );
  const apply = (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
    const s = next.toString();
    const focused = document.activeElement && document.activeElement.id;
    navigate(s ? `/?${s}` : "/");
    // The page is drawn again: keep the keyboard where it was.
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  };
  form.addEventListener("submit", apply);
  for (const sel of form.querySelectorAll("select")) sel.addEventListener("change", apply);

  const list = h("ul", { class: "customers", "aria-busy": "true" });
  const footer = h("div", { class: "more" });
  const heading = h("h1", { tabindex: "-1" }, t("customers"));
  // The start page (no filter) opens with the feed of the caller's subscriptions.
  const feed = q || stage || tier ? null : h("section", { class: "feed-panel card", "aria-label": t("feed") });
  mount(main, feed, heading, form, h("p", { class: "muted", id: "count" }), list, footer);
  if (feed) feedPanel(feed, viewer);

  const filter = {};
  if (q) filter.text = q;
  if (stage) filter.stage = [stage];
  if (tier) filter.tier = [tier];
  pagedList({
    list,
    footer,
    count: main.querySelector("#count"),
    fetchPage: async (after) => (await gql(query, { filter, first: PAGE, after })).customers,
    row,
    counted: (shown) => (shown ? t("shown", shown) : t("noCustomers")),
  });
}

function row(c) {
  const risks = c.risks || {};
  return h(
    "li",
    { class: "customer" },
    h(
      "h2",
      {},
      h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, c.name),
      " ",
      h("a", { class: "explore-link", href: `/explore?id=${encodeURIComponent(c.id)}`, "data-link": true, title: t("explore") }, "⌖"),
    ),
    c.aliases && c.aliases.length ? h("p", { class: "aliases muted" }, c.aliases.join(" · ")) : null,
    h(
      "dl",
      { class: "facts" },
      fact(t("stage"), c.stage ? `${e(c.stage)} (${percent(c.stageConfidence)})` : t("notScored")),
      fact(t("tier"), c.tier ? e(c.tier) : "—"),
      fact(t("region"), c.region || "—"),
      fact(t("owner"), c.owner ? c.owner.name || c.owner.id : t("unassigned")),
      fact(t("risks"), c.stage ? `${t("replacement")} ${percent(risks.replacement)} · ${t("churn")} ${percent(risks.churn)} · ${t("credit")} ${percent(risks.credit)}` : "—"),
      fact(t("lastSignal"), `${date(c.lastSignalAt)} (${c.signalCount} ${t("signals")})`),
    ),
  );
}

function fact(term, value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, value));
}
