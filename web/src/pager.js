// A list read page after page: the first page at once, a "more" button in
// the footer while the API says there is a next one, the count of what is
// shown announced to screen readers. Used by the customer list and the
// alerts.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { showError, announce } from "./app.js";

/**
 * Loads the first page into list and offers the next ones.
 * fetchPage(after) resolves to a connection ({edges, pageInfo}); row(node)
 * draws one entry; counted(shown) is the sentence for the count, written
 * into count.
 */
export function pagedList({ list, footer, count, fetchPage, row, counted }) {
  let shown = 0;
  async function load(after) {
    footer.replaceChildren(h("p", { class: "muted" }, t("loading")));
    list.setAttribute("aria-busy", "true");
    let page;
    try {
      page = await fetchPage(after);
    } catch (err) {
      list.removeAttribute("aria-busy");
      return showError(footer, err);
    }
    const { edges, pageInfo } = page;
    for (const { node } of edges) list.appendChild(row(node));
    shown += edges.length;
    list.removeAttribute("aria-busy");
    count.textContent = counted(shown);
    announce(count.textContent);
    footer.replaceChildren();
    if (pageInfo.hasNextPage) {
      const more = h("button", { type: "button" }, t("more"));
      more.addEventListener("click", () => load(pageInfo.endCursor));
      footer.appendChild(more);
    }
  }
  load(null);
}
