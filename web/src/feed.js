// The feed on the start page: the external signals (tenders, awards,
// customs, forum posts…) that match the caller's subscriptions, newest
// first, over the feed's window (the last 30 days of arrivals). The unread
// are marked and counted in a badge; an alert says how many of them name a
// customer the caller owns. "Mark all read" moves the read mark to when
// the feed was read (asOf), so what arrived since stays unread.
import { gql } from "./api.js";
import { feedQuery, markFeedReadMutation } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, date, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";
import { signalLine } from "./signal.js";

addWords({
  feed: ["订阅动态", "Subscribed signals"],
  feedUnread: ["{0} 条未读", "{0} unread"],
  feedOwnAlert: ["{0} 条新动态涉及您负责的客户", "New matches naming a customer you own: {0}"],
  feedEmpty: ["近 30 天没有符合订阅的外部信号。", "No external signal matched your subscriptions in the last 30 days."],
  feedNoSubscriptions: ["订阅招标、中标、海关、论坛等外部信号（按行业、地区、关键词或客户），新动态会显示在这里。", "Subscribe to tenders, awards, customs records and forum posts by industry, region, keyword or buyer; new matches show here."],
  feedManage: ["管理订阅", "Manage subscriptions"],
  feedMarkRead: ["全部标为已读", "Mark all read"],
  feedMarked: ["已全部标为已读。", "All marked read."],
  feedTruncated: ["（只读取了 {0} 以来到达的信号）", "(read only what arrived since {0})"],
  ownCustomer: ["您的客户", "your customer"],
  unreadMark: ["未读", "unread"],
  winner: ["中标方", "winner"],
  supplier: ["供应方", "supplier"],
});

const PAGE = 10;
const WINDOW_DAYS = 30;

/** Draws the feed panel into el (a section of the start page). */
export async function feedPanel(el, viewer) {
  el.setAttribute("aria-busy", "true");
  mount(el, h("h2", {}, t("feed")), h("p", { class: "muted" }, t("loading")));
  // The whole window, read or not: the unread are marked.
  const since = new Date(Date.now() - WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
  let data;
  try {
    data = await gql(feedQuery, { first: PAGE, after: null, since });
  } catch (err) {
    el.removeAttribute("aria-busy");
    return showError(el, err);
  }
  el.removeAttribute("aria-busy");
  const names = new Map(data.subscriptions.map((s) => [s.id, s.name]));
  const manage = h("a", { href: "/subscriptions", "data-link": true }, t("feedManage"));
  if (!data.subscriptions.length) {
    mount(el, h("h2", {}, t("feed")), h("p", { class: "muted" }, t("feedNoSubscriptions"), " ", manage));
    return;
  }
  const feed = data.feed;
  const badge = feed.unread ? h("span", { class: "badge unread-count" }, t("feedUnread", feed.unread)) : null;
  const alert = feed.unreadOwnCustomer
    ? h("p", { class: "own-alert", role: "alert" }, "● ", t("feedOwnAlert", feed.unreadOwnCustomer))
    : null;
  const list = h("ul", { class: "feed" });
  const footer = h("div", { class: "more" });
  const msg = h("p", { role: "status", class: "muted" });
  const markRead = feed.unread
    ? h("button", { type: "button", class: "secondary mark-read", onclick: () => doMarkRead() }, t("feedMarkRead"))
    : null;
  mount(
    el,
    h("h2", {}, t("feed"), badge),
    alert,
    h("p", { class: "actions" }, manage, markRead, feed.truncated ? h("span", { class: "muted" }, t("feedTruncated", date(feed.windowStart))) : null),
    list,
    footer,
    msg,
  );
  if (!feed.edges.length) list.appendChild(h("li", { class: "muted" }, t("feedEmpty")));
  if (feed.unread) announce(t("feedUnread", feed.unread));

  const addPage = (page) => {
    for (const { node } of page.edges) list.appendChild(entry(node, names, viewer));
    footer.replaceChildren();
    if (page.pageInfo.hasNextPage) {
      const more = h("button", { type: "button", class: "secondary" }, t("more"));
      more.addEventListener("click", async () => {
        more.disabled = true;
        try {
          const next = await gql(feedQuery, { first: PAGE, after: page.pageInfo.endCursor, since });
          addPage(next.feed);
        } catch (err) {
          showError(footer, err);
        }
      });
      footer.appendChild(more);
    }
  };
  addPage(feed);

  async function doMarkRead() {
    markRead.disabled = true;
    try {
      // Up to when the feed was read: what arrived since stays unread.
      await gql(markFeedReadMutation, { until: feed.asOf });
    } catch (err) {
      markRead.disabled = false;
      return showError(msg, err);
    }
    for (const li of list.querySelectorAll("li.unread")) li.classList.remove("unread");
    for (const x of el.querySelectorAll(".unread-count, .own-alert, .mark-read, .unread-dot")) x.remove();
    msg.textContent = t("feedMarked");
    announce(msg.textContent);
  }
}

/** One feed entry: date, title, kind and trust, the customers it names, the subscriptions it matched. */
function entry(n, names, viewer) {
  // A rep opens only their own customers' briefs: the others are named, not linked.
  const linked = (c) => c.own || !viewer || viewer.role !== "REP";
  const s = n.signal;
  return h(
    "li",
    { class: ["feed-entry", n.unread ? "unread" : null, n.ownCustomer ? "own" : null].filter(Boolean).join(" "), "data-id": s.id },
    h(
      "p",
      { class: "feed-title" },
      n.unread ? h("span", { class: "unread-dot", title: t("unreadMark"), "aria-label": t("unreadMark") }, "● ") : null,
      ...signalLine(s),
      n.ownCustomer ? h("span", { class: "badge own-badge" }, t("ownCustomer")) : null,
    ),
    h(
      "p",
      { class: "feed-meta muted" },
      n.customers.map((c, i) => [
        i ? " · " : null,
        linked(c)
          ? h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true, class: c.own ? "own-customer" : null }, c.name)
          : h("span", {}, c.name),
        c.role !== "about" ? ` (${t(c.role)})` : null,
      ]),
      n.customers.length ? " — " : null,
      n.subscriptions.map((id) => names.get(id) || id).join(" · "),
    ),
  );
}
