// The entity-resolution review queue: the ambiguous matches ingest left for
// a person to decide, newest first. Merge the mention's provisional
// organisation into one candidate, or keep it apart (resolveReview).
// Analysts, managers and admins; the API refuses others.
import { gql } from "./api.js";
import { reviewQueueQuery, resolveReviewMutation } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, date, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";

addWords({
  reviews: ["实体复核", "Reviews"],
  reviewsIntro: [
    "导入时无法确定归属的名称，等待人工判断：合并到某个候选客户，或保持独立。",
    "Names ingest could not tie to one organisation, waiting for a person: merge into a candidate, or keep apart.",
  ],
  OPEN: ["待处理", "Open"],
  ACCEPTED: ["已合并", "Merged"],
  REJECTED: ["保持独立", "Kept apart"],
  noReviews: ["没有复核项。", "Nothing to review."],
  mergeInto: ["合并到 {0}", "Merge into {0}"],
  keepApart: ["保持独立", "Keep apart"],
  provisional: ["临时客户", "provisional customer"],
  reviewSource: ["来源", "source"],
  candidates: ["候选", "Candidates"],
  score: ["相似度", "score"],
  resolved: ["已处理：{0}", "Done: {0}"],
});

const STATUSES = ["OPEN", "ACCEPTED", "REJECTED"];

export async function reviewsPage(main) {
  document.title = `${t("reviews")} · ValueGraph`;
  const status = new URLSearchParams(location.search).get("status") || "OPEN";
  const tabs = h(
    "p",
    { class: "tabs", role: "group" },
    STATUSES.map((s) => h("a", { href: `/reviews?status=${s}`, "data-link": true, "aria-current": s === status ? "page" : null }, t(s))),
  );
  const list = h("ul", { class: "reviews", "aria-busy": "true" });
  mount(main, h("h1", { tabindex: "-1" }, t("reviews")), h("p", { class: "muted" }, t("reviewsIntro")), tabs, list);
  let data;
  try {
    data = await gql(reviewQueueQuery, { status, first: 100 });
  } catch (err) {
    return showError(list, err);
  }
  list.removeAttribute("aria-busy");
  if (!data.reviewQueue.length) {
    list.appendChild(h("li", { class: "muted" }, t("noReviews")));
    return;
  }
  for (const r of data.reviewQueue) list.appendChild(review(r, status === "OPEN"));
}

function review(r, open) {
  const msg = h("p", { role: "status", class: "muted" });
  const decide = async (vars, label) => {
    for (const b of li.querySelectorAll("button")) b.disabled = true;
    try {
      await gql(resolveReviewMutation, { id: r.id, ...vars });
      li.classList.add("done");
      msg.textContent = t("resolved", label);
      announce(msg.textContent);
    } catch (err) {
      for (const b of li.querySelectorAll("button")) b.disabled = false;
      showError(msg, err);
    }
  };
  const li = h(
    "li",
    { class: "review card", "data-id": r.id },
    h("h2", {}, r.name),
    h(
      "p",
      { class: "muted" },
      [r.reason, r.source ? `${t("reviewSource")} ${r.source}` : null, date(r.createdAt)].filter(Boolean).join(" · "),
      " · ",
      h("a", { href: `/explore?id=${encodeURIComponent(r.provisionalId)}`, "data-link": true }, t("provisional")),
    ),
    h(
      "table",
      { class: "data-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("candidates")), h("th", {}, t("score")), open ? h("th", {}, "") : null)),
      h(
        "tbody",
        {},
        r.candidates.map((c) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `/explore?id=${encodeURIComponent(c.id)}`, "data-link": true }, c.name), " ", h("span", { class: "muted" }, e(c.kind))),
            h("td", { class: "num" }, c.score.toFixed(2)),
            open ? h("td", {}, h("button", { type: "button", class: "secondary merge", onclick: () => decide({ candidateId: c.id }, t("mergeInto", c.name)) }, t("mergeInto", c.name))) : null,
          ),
        ),
      ),
    ),
    open ? h("p", {}, h("button", { type: "button", class: "secondary keep", onclick: () => decide({ reject: true }, t("keepApart")) }, t("keepApart"))) : h("p", { class: "muted" }, t(r.status)),
    msg,
  );
  return li;
}
