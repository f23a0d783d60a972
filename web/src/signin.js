// The sign-in page: an API token, checked by POST /session, which keeps it in
// an HttpOnly cookie the app's scripts never see.
import { signIn } from "./api.js";
import { h, mount } from "./dom.js";
import { t } from "./i18n.js";
import { signedIn } from "./app.js";

export function signInPage(main) {
  document.title = `${t("signIn")} · ValueGraph`;
  const input = h("input", { id: "token", name: "token", type: "password", required: true, autocomplete: "off", spellcheck: "false", "aria-describedby": "token-hint" });
  const msg = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit" }, t("signIn"));
  const form = h(
    "form",
    { class: "signin", method: "post", action: "/session" },
    h("label", { for: "token" }, t("token")),
    input,
    h("small", { id: "token-hint" }, t("tokenHint")),
    button,
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    button.disabled = true;
    button.textContent = t("signingIn");
    try {
      const viewer = await signIn(input.value.trim());
      input.value = "";
      signedIn(viewer, new URLSearchParams(location.search).get("next"));
    } catch (err) {
      msg.textContent = err.code === "UNAUTHENTICATED" ? t("badToken") : t("error") + err.message;
      button.disabled = false;
      button.textContent = t("signIn");
      input.focus();
    }
  });
  mount(main, h("h1", {}, t("signIn")), h("p", {}, t("signInIntro")), form);
  input.focus();
}
