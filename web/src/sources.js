// The sources signals come from and their crawl health (the API's
// sources): each one's trust level, whether the crawler runs it, its last
// run (pages fetched, notices read, errors), and why it needs a look when
// its selectors stopped matching, highlighted. Admins can have the worker
// crawl a source now (runCrawl), and see what the API answered. Analysts,
// managers and admins; the API refuses a rep, and the page says so.
import { gql, APIError } from "./api.js";
import { sourcesQuery, runCrawlMutation } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";

addWords({
  sources: ["数据来源", "Sources"],
  sourcesIntro: [
    "信号的来源、可信等级，以及爬虫来源最近一次运行的情况。选择器失效的来源会被标出。",
    "Where signals come from, each with its trust level, and for crawled sources how the last run went. A source whose selectors stopped matching is flagged.",
  ],
  source: ["来源", "Source"],
  trustLevel: ["可信等级", "Trust"],
  crawled: ["爬取", "Crawled"],
  crawledYes: ["是", "yes"],
  crawledNo: ["否", "no"],
  lastRun: ["最近运行", "Last run"],
  neverRun: ["尚未运行", "never"],
  pages: ["页面", "Pages"],
  records: ["记录", "Records"],
  errors: ["错误", "Errors"],
  flagged: ["需检查", "Needs a look"],
  sourceOK: ["正常", "fine"],
  crawlNow: ["立即爬取", "Crawl now"],
  crawlQueued: ["已请求爬取 {0}，后台任务将执行（已在运行的不会重复）。", "Asked the worker to crawl {0} (a run already under way is not doubled)."],
  crawlRefused: ["未能爬取 {0}：{1}", "Could not crawl {0}: {1}"],
  noSources: ["还没有任何来源。", "No source yet."],
  sourcesCount: ["{0} 个来源，{1} 个需检查", "Sources: {0}; needing a look: {1}"],
});

export async function sourcesPage(main, viewer) {
  document.title = `${t("sources")} · ValueGraph`;
  const admin = viewer && viewer.role === "ADMIN";
  const body = h("div", { class: "sources", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
  mount(main, h("h1", { tabindex: "-1" }, t("sources")), h("p", { class: "muted" }, t("sourcesIntro")), body);
  main.classList.add("wide");
  let data;
  try {
    data = await gql(sourcesQuery);
  } catch (err) {
    return showError(body, err);
  }
  body.removeAttribute("aria-busy");
  const list = data.sources;
  if (!list.length) return mount(body, h("p", { class: "muted" }, t("noSources")));
  const flagged = list.filter((s) => s.flagged).length;
  // Flagged sources first: they are what the page is for.
  const sorted = list.slice().sort((a, b) => (b.flagged ? 1 : 0) - (a.flagged ? 1 : 0) || a.id.localeCompare(b.id));
  mount(
    body,
    h("p", { class: "sources-summary" }, t("sourcesCount", list.length, flagged)),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table sources-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [t("source"), t("trustLevel"), t("crawled"), t("lastRun"), t("pages"), t("records"), t("errors"), t("flagged"), admin ? "" : null]
              .filter((x) => x !== null)
              .map((x) => h("th", { scope: "col" }, x)),
          ),
        ),
        h("tbody", {}, sorted.map((s) => row(s, admin))),
      ),
    ),
  );
  announce(t("sourcesCount", list.length, flagged));
}

function row(s, admin) {
  const msg = h("span", { class: "crawl-answer", role: "status" });
  const crawl = async (ev) => {
    const b = ev.currentTarget;
    b.disabled = true;
    msg.classList.remove("error");
    try {
      const data = await gql(runCrawlMutation, { source: s.id });
      msg.textContent = data.runCrawl ? t("crawlQueued", s.id) : t("crawlRefused", s.id, "false");
    } catch (err) {
      if (err instanceof APIError && err.code === "UNAUTHENTICATED") return showError(msg, err);
      msg.classList.add("error");
      msg.textContent = t("crawlRefused", s.id, `${err.message}${err.code ? ` (${err.code})` : ""}`);
    }
    b.disabled = false;
    announce(msg.textContent);
  };
  return h(
    "tr",
    { class: `source-row${s.flagged ? " flagged" : ""}`, "data-id": s.id },
    h("th", { scope: "row" }, s.id),
    h("td", {}, h("span", { class: `trust ${s.trust}` }, e(s.trust))),
    h("td", {}, s.crawled ? t("crawledYes") : t("crawledNo")),
    h("td", { class: "nowrap" }, s.lastRunAt ? when(s.lastRunAt) : h("span", { class: "muted" }, s.crawled ? t("neverRun") : "—")),
    h("td", { class: "num" }, s.crawled ? String(s.pages) : "—"),
    h("td", { class: "num" }, s.crawled ? String(s.records) : "—"),
    h("td", { class: `num${s.errors ? " error" : ""}` }, s.crawled ? String(s.errors) : "—"),
    h("td", {}, s.flagged ? h("strong", { class: "flag" }, "⚠ ", s.flagged) : h("span", { class: "muted" }, s.crawled ? t("sourceOK") : "—")),
    admin ? h("td", {}, s.crawled ? h("button", { type: "button", class: "secondary crawl", onclick: crawl }, t("crawlNow")) : null, " ", msg) : null,
  );
}

/** A run's time to the minute, in the reader's own time zone. */
function when(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return String(iso);
  const p = (n) => String(n).padStart(2, "0");
  return h("time", { datetime: iso }, `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`);
}
