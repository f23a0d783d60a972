// ValueGraph's web app: sign-in, the customer list and a customer's brief.
// Routes are real paths (/, /signin, /customers/{id}); the server answers
// index.html for each, and the app draws the page.
import { gql, signOut, APIError } from "./api.js";
import { viewerQuery } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, lang, setLang } from "./i18n.js";
import { signInPage } from "./signin.js";
import { customersPage } from "./customers.js";
import { briefPage } from "./brief.js";
import { explorerPage } from "./explorer.js";
import { reviewsPage } from "./reviews.js";
import { modelsPage } from "./models.js";
import { driftPage } from "./drift.js";
import { sourcesPage } from "./sources.js";
import { subscriptionsPage } from "./subscriptions.js";
import { alertsPage } from "./alerts.js";

const main = document.getElementById("main");
const bar = document.getElementById("bar");
const status = document.getElementById("status");

/** The signed-in caller ({name, role, repId}), or null. */
let viewer = null;

/** Announces a short message to screen readers. */
export function announce(msg) {
  status.textContent = msg;
}

/** Goes to a path of the app without reloading the page. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

/** Draws an API error in place of a page; an expired session goes to sign-in. */
export function showError(el, err) {
  if (err instanceof APIError && err.code === "UNAUTHENTICATED") {
    viewer = null;
    navigate("/signin?next=" + encodeURIComponent(location.pathname + location.search), { replace: true });
    return;
  }
  const msg = err instanceof APIError && err.code === "FORBIDDEN" ? t("forbidden") + err.message : t("error") + (err && err.message);
  mount(el, h("p", { class: "error", role: "alert" }, msg), h("button", { type: "button", onclick: () => route() }, t("retry")));
}

function drawBar() {
  const langSwitch = h(
    "div",
    { class: "lang", role: "group", "aria-label": t("language") },
    h("button", { type: "button", lang: "zh-CN", "aria-pressed": String(lang() === "zh"), onclick: () => switchLang("zh") }, "中文"),
    h("button", { type: "button", lang: "en", "aria-pressed": String(lang() === "en"), onclick: () => switchLang("en") }, "EN"),
  );
  mount(
    bar,
    h("a", { class: "brand", href: "/", "data-link": true }, t("appName")),
    viewer
      ? h(
          "nav",
          { "aria-label": t("appName") },
          h("a", { href: "/", "data-link": true }, t("customers")),
          h("a", { href: "/explore", "data-link": true }, t("explore")),
          h("a", { href: "/subscriptions", "data-link": true }, t("subscriptions")),
          h("a", { href: "/alerts", "data-link": true }, t("alerts")),
          // The review queue and the models are for analysts, managers and admins.
          viewer.role !== "REP" ? h("a", { href: "/reviews", "data-link": true }, t("reviews")) : null,
          viewer.role !== "REP" ? h("a", { href: "/models", "data-link": true }, t("models")) : null,
          // Drift and the sources' health: managers, analysts and admins.
          viewer.role !== "REP" ? h("a", { href: "/drift", "data-link": true }, t("drift")) : null,
          viewer.role !== "REP" ? h("a", { href: "/sources", "data-link": true }, t("sources")) : null,
          // GraphiQL is a page of its own, outside the app.
          h("a", { href: "/graphql" }, "GraphiQL"),
        )
      : null,
    h("span", { class: "spacer" }),
    viewer ? h("span", { class: "who" }, `${viewer.name} · ${e(viewer.role)}`) : null,
    langSwitch,
    viewer ? h("button", { type: "button", onclick: doSignOut }, t("signOut")) : null,
  );
}

function switchLang(l) {
  setLang(l);
  route();
}

async function doSignOut() {
  await signOut();
  viewer = null;
  navigate("/signin");
}

/** Called by the sign-in page once the cookie is set. */
export function signedIn(v, next) {
  viewer = v;
  navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
}

async function route() {
  setLang(lang());
  const path = location.pathname;
  if (path === "/signin") {
    viewer = null;
    drawBar();
    return signInPage(main);
  }
  if (!viewer) {
    try {
      const data = await gql(viewerQuery);
      viewer = data.viewer;
    } catch (err) {
      if (err instanceof APIError && err.code === "UNAUTHENTICATED") {
        return navigate("/signin?next=" + encodeURIComponent(path + location.search), { replace: true });
      }
      drawBar();
      return showError(main, err);
    }
  }
  drawBar();
  main.classList.remove("wide");
  const m = path.match(/^\/customers\/([^/]+)$/);
  if (path === "/" || path === "/customers") return customersPage(main, viewer);
  if (path === "/explore") return explorerPage(main);
  if (path === "/reviews") return reviewsPage(main);
  if (path === "/models") return modelsPage(main, viewer);
  if (path === "/drift") return driftPage(main);
  if (path === "/sources") return sourcesPage(main, viewer);
  if (path === "/subscriptions") return subscriptionsPage(main);
  if (path === "/alerts") return alertsPage(main, viewer);
  if (m) return briefPage(main, decodeURIComponent(m[1]));
  document.title = "ValueGraph";
  mount(main, h("h1", {}, t("pageNotFound")), h("p", {}, h("a", { href: "/", "data-link": true }, t("back"))));
}

// Links marked data-link stay in the app.
document.addEventListener("click", (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest("a[data-link]") : null;
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  navigate(a.getAttribute("href"));
});
window.addEventListener("popstate", route);
route();
