// The alerts rescoring raised (a stage or tier moved, a risk crossed the
// threshold), newest first, each with whether its owner followed it up:
// opened the brief, logged an activity or gave feedback after it. Managers,
// analysts and admins see every alert, with the count per owner at the top
// (a flood of unfollowed alerts is a threshold set wrong); reps the alerts
// of their own customers, as the API gives them. The filters live in the
// URL (?kind=&followed=&owner=), so the back button returns to the list.
import { gql } from "./api.js";
import { alertsQuery, alertSummaryQuery } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, date, pickLang, lang } from "./i18n.js";
import { showError, navigate } from "./app.js";
import { pagedList } from "./pager.js";

const PAGE = 25;
const KINDS = ["STAGE_CHANGED", "TIER_CHANGED", "RISK_CROSSED"];

export function alertsPage(main, viewer) {
  document.title = `${t("alerts")} · ValueGraph`;
  const manager = viewer && viewer.role !== "REP";
  const params = new URLSearchParams(location.search);
  const kind = KINDS.includes(params.get("kind")) ? params.get("kind") : "";
  const followed = ["yes", "no"].includes(params.get("followed")) ? params.get("followed") : "";
  const owner = manager ? params.get("owner") || "" : "";

  const select = (id, label, options, value) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("select", { id, name: id }, h("option", { value: "" }, t("all")), options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))),
    );
  const ownerSelect = manager ? select("owner", t("owner"), owner ? [[owner, owner]] : [], owner) : null;
  const form = h(
    "form",
    { class: "filters", role: "search" },
    select("kind", t("alertKind"), KINDS.map((k) => [k, e(k)]), kind),
    select("followed", t("followUp"), [["yes", t("followed")], ["no", t("unfollowed")]], followed),
    ownerSelect,
  );
  form.addEventListener("change", () => {
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v)) next.set(k, String(v));
    const s = next.toString();
    const focused = document.activeElement && document.activeElement.id;
    navigate(s ? `/alerts?${s}` : "/alerts");
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());

  const summary = manager ? h("section", { class: "alert-summary", "aria-busy": "true" }) : null;
  const list = h("ul", { class: "alerts", "aria-busy": "true" });
  const footer = h("div", { class: "more" });
  const count = h("p", { class: "muted", id: "count" });
  mount(main, h("h1", { tabindex: "-1" }, t("alerts")), h("p", { class: "muted" }, t("alertsIntro")), summary, form, count, list, footer);

  if (manager) drawSummary(summary, ownerSelect.querySelector("select"), owner);

  const filter = {};
  if (kind) filter.kinds = [kind];
  if (followed) filter.followed = followed === "yes";
  if (owner) filter.owner = owner;
  pagedList({
    list,
    footer,
    count,
    fetchPage: async (after) => (await gql(alertsQuery, { filter, first: PAGE, after })).alerts,
    row,
    counted: (shown) => (shown ? t("alertsShown", shown) : t("noAlerts")),
  });
}

// The count per owner, most unfollowed first; its owners fill the owner
// filter.
async function drawSummary(section, ownerSelect, owner) {
  let data;
  try {
    data = await gql(alertSummaryQuery, {});
  } catch (err) {
    section.removeAttribute("aria-busy");
    return showError(section, err);
  }
  section.removeAttribute("aria-busy");
  const rows = data.alertSummary;
  for (const o of rows) {
    if (o.owner && o.owner.id !== owner) ownerSelect.appendChild(h("option", { value: o.owner.id }, o.owner.name || o.owner.id));
    else if (o.owner) ownerSelect.querySelector(`option[value="${CSS.escape(o.owner.id)}"]`).textContent = o.owner.name || o.owner.id;
  }
  mount(
    section,
    h("h2", {}, t("perOwner")),
    h("p", { class: "muted" }, t("perOwnerHint")),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table owners" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", {}, t("owner")), h("th", { class: "num" }, t("raised")), h("th", { class: "num" }, t("followed")), h("th", { class: "num" }, t("unfollowed")), h("th", {}, t("lastAlert"))),
        ),
        h(
          "tbody",
          {},
          rows.map((o) =>
            h(
              "tr",
              { "data-owner": o.owner ? o.owner.id : "", class: o.unfollowed > o.followed ? "mostly-unfollowed" : null },
              h("td", {}, o.owner ? h("a", { href: `/alerts?owner=${encodeURIComponent(o.owner.id)}`, "data-link": true }, o.owner.name || o.owner.id) : t("nobody")),
              h("td", { class: "num" }, String(o.raised)),
              h("td", { class: "num" }, String(o.followed)),
              h("td", { class: "num unfollowed-count" }, String(o.unfollowed)),
              h("td", {}, date(o.lastAt)),
            ),
          ),
        ),
      ),
    ),
  );
}

function what(a) {
  if (a.kind === "RISK_CROSSED") return `${t("riskOf", t(a.risk))}: ${percentOf(a.from)} → ${percentOf(a.to)}`;
  const label = a.kind === "STAGE_CHANGED" ? t("stage") : t("tier");
  return `${label}: ${e(a.from)} → ${e(a.to)}`;
}

function percentOf(s) {
  const x = Number(s);
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : s;
}

function row(a) {
  const fu = a.followUp;
  const brief = `/customers/${encodeURIComponent(a.customer.id)}`;
  return h(
    "li",
    { class: `alert card ${fu.followed ? "followed" : "unfollowed"}`, "data-id": a.id, "data-customer": a.customer.id },
    h("h2", {}, h("a", { href: brief, "data-link": true, class: "brief-link" }, a.customer.name), " ", h("span", { class: "badge" }, e(a.kind))),
    h(
      "dl",
      { class: "facts" },
      fact(t("moved"), what(a)),
      fact(t("raisedAt"), `${date(a.at)} ${String(a.at).slice(11, 16)}`),
      fact(t("owner"), a.owner ? a.owner.name || a.owner.id : t("nobody")),
      fact(
        t("followUp"),
        h("span", { class: "follow-up" }, fu.followed ? t("followedBy", e(fu.by), `${date(fu.at)} ${String(fu.at).slice(11, 16)}`) : t("notFollowed")),
      ),
    ),
    a.causes.length
      ? h("p", { class: "causes" }, h("span", { class: "muted" }, `${t("causes")}: `), a.causes.map((c) => pickLang(c.zh, c.en)).join(lang() === "zh" ? "；" : "; "))
      : null,
  );
}

function fact(term, value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, value));
}
