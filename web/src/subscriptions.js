// The caller's subscriptions to external signals: list, create, edit and
// delete (asked twice, in place). What each one matches comes in the feed
// on the start page. Every role keeps its own; the API shows nobody else's.
import { gql, APIError } from "./api.js";
import { subscriptionsQuery, createSubscriptionMutation, updateSubscriptionMutation, deleteSubscriptionMutation, exploreSearchQuery } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, date, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";

addWords({
  subscriptionsIntro: [
    "订阅外部信号（招标、中标、海关、论坛……）：所填条件须全部满足，每项条件中任一值满足即可。新动态显示在首页。",
    "Follow external signals (tenders, awards, customs, forums…): every criterion given must match; within one, any value does. New matches show on the start page.",
  ],
  noSubscriptions: ["还没有订阅。", "No subscriptions yet."],
  newSubscription: ["新建订阅", "New subscription"],
  editSubscription: ["编辑订阅：{0}", "Edit: {0}"],
  subName: ["名称", "Name"],
  subKinds: ["信号类型", "Signal kinds"],
  subIndustries: ["行业", "Industries"],
  subRegions: ["地区", "Regions"],
  subKeywords: ["关键词（标题或正文）", "Keywords (title or text)"],
  subCustomers: ["客户 ID（买方）", "Customer ids (buyers)"],
  subTrust: ["可信度", "Trust"],
  listHint: ["多个值用逗号分隔", "separate values with commas"],
  save: ["保存", "Save"],
  cancel: ["取消", "Cancel"],
  edit: ["编辑", "Edit"],
  deleteSub: ["删除", "Delete"],
  confirmDelete: ["确认删除？", "Delete it?"],
  saved: ["已保存：{0}", "Saved: {0}"],
  deleted: ["已删除：{0}", "Deleted: {0}"],
  created: ["创建于", "created"],
  findCustomer: ["按名称查找客户并加入", "Find a customer by name to add"],
  noCustomerHit: ["没有找到客户。", "No customer found."],
});

// The kinds and trust levels a subscription can follow: external ones.
const KINDS = ["TENDER", "AWARD", "PROCUREMENT_INTENT", "CUSTOMS", "FORUM_POST", "EXEC_CHANGE", "FUNDING", "COMPANY_CHANGE"];
const TRUST = ["L2", "L3"];

export async function subscriptionsPage(main) {
  document.title = `${t("subscriptions")} · ValueGraph`;
  const list = h("ul", { class: "subscriptions", "aria-busy": "true" });
  const formBox = h("section", { class: "card subscription-form" });
  mount(main, h("h1", { tabindex: "-1" }, t("subscriptions")), h("p", { class: "muted" }, t("subscriptionsIntro")), list, formBox);
  let subs;
  try {
    subs = (await gql(subscriptionsQuery)).subscriptions;
  } catch (err) {
    return showError(list, err);
  }
  list.removeAttribute("aria-busy");

  const drawList = () => {
    list.replaceChildren();
    if (!subs.length) list.appendChild(h("li", { class: "muted" }, t("noSubscriptions")));
    for (const s of subs) list.appendChild(card(s));
  };
  const drawForm = (editing) => mount(formBox, form(editing));

  function card(s) {
    const msg = h("p", { role: "status", class: "muted" });
    const del = h("button", { type: "button", class: "secondary delete" }, t("deleteSub"));
    let armed = false;
    del.addEventListener("click", async () => {
      if (!armed) {
        armed = true;
        del.textContent = t("confirmDelete");
        del.classList.add("confirm");
        return;
      }
      del.disabled = true;
      try {
        await gql(deleteSubscriptionMutation, { id: s.id });
      } catch (err) {
        del.disabled = false;
        return showError(msg, err);
      }
      subs = subs.filter((x) => x.id !== s.id);
      drawList();
      announce(t("deleted", s.name));
    });
    del.addEventListener("blur", () => {
      armed = false;
      del.textContent = t("deleteSub");
      del.classList.remove("confirm");
    });
    const crit = (label, values, fmt = (v) => v) =>
      values.length ? h("div", {}, h("dt", {}, label), h("dd", {}, values.map(fmt).join(" · "))) : null;
    return h(
      "li",
      { class: "subscription card", "data-id": s.id },
      h("h2", {}, s.name),
      h(
        "dl",
        { class: "facts" },
        crit(t("subKinds"), s.kinds, e),
        crit(t("subIndustries"), s.industries),
        crit(t("subRegions"), s.regions),
        crit(t("subKeywords"), s.keywords),
        crit(t("subCustomers"), s.customerIds),
        crit(t("subTrust"), s.trust, e),
        h("div", {}, h("dt", {}, t("created")), h("dd", {}, date(s.createdAt))),
      ),
      h(
        "p",
        { class: "actions" },
        h("button", { type: "button", class: "secondary edit", onclick: () => { drawForm(s); formBox.scrollIntoView(); } }, t("edit")),
        del,
      ),
      msg,
    );
  }

  function form(editing) {
    const v = editing || { name: "", kinds: [], industries: [], regions: [], keywords: [], customerIds: [], trust: [] };
    const text = (id, label, value, hint) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: id }, label, hint ? h("span", { class: "muted" }, ` (${hint})`) : null),
        h("input", { id, name: id, type: "text", value, autocomplete: "off" }),
      );
    const checks = (name, label, values, chosen) =>
      h(
        "fieldset",
        { class: "checks" },
        h("legend", {}, label),
        values.map((x) => h("label", {}, h("input", { type: "checkbox", name, value: x, checked: chosen.includes(x) }), " ", e(x))),
      );
    const msg = h("p", { role: "alert", class: "error" });
    // Reps know names, not ids: a name search adds the customer's id.
    function customerFinder() {
      const hits = h("ul", { class: "hits" });
      const box = h("input", { id: "sub-find", type: "search", autocomplete: "off" });
      let timer;
      box.addEventListener("input", () => {
        clearTimeout(timer);
        const text = box.value.trim();
        if (!text) return hits.replaceChildren();
        timer = setTimeout(async () => {
          let found;
          try {
            found = (await gql(exploreSearchQuery, { text })).search.filter((x) => x.kind === "CUSTOMER");
          } catch (err) {
            return showError(hits, err);
          }
          hits.replaceChildren();
          if (!found.length) hits.appendChild(h("li", { class: "muted" }, t("noCustomerHit")));
          for (const c of found) {
            const add = () => {
              const ids = f.querySelector("#sub-customers");
              const have = ids.value.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean);
              if (!have.includes(c.id)) ids.value = [...have, c.id].join(", ");
              hits.replaceChildren();
              box.value = "";
              announce(c.name);
            };
            hits.appendChild(h("li", {}, h("button", { type: "button", class: "secondary add-customer", "data-id": c.id, onclick: add }, "+ ", c.name)));
          }
        }, 250);
      });
      return h("div", { class: "field" }, h("label", { for: "sub-find" }, t("findCustomer")), box, hits);
    }
    const f = h(
      "form",
      { class: "subscription-edit", novalidate: true },
      h("h2", {}, editing ? t("editSubscription", editing.name) : t("newSubscription")),
      text("sub-name", t("subName"), v.name),
      checks("kinds", t("subKinds"), KINDS, v.kinds),
      text("sub-industries", t("subIndustries"), v.industries.join(", "), t("listHint")),
      text("sub-regions", t("subRegions"), v.regions.join(", "), t("listHint")),
      text("sub-keywords", t("subKeywords"), v.keywords.join(", "), t("listHint")),
      text("sub-customers", t("subCustomers"), v.customerIds.join(", "), t("listHint")),
      customerFinder(),
      checks("trust", t("subTrust"), TRUST, v.trust),
      msg,
      h(
        "p",
        { class: "actions" },
        h("button", { type: "submit" }, t("save")),
        editing ? h("button", { type: "button", class: "secondary", onclick: () => drawForm(null) }, t("cancel")) : null,
      ),
    );
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const split = (id) =>
        f.querySelector("#" + id).value.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean);
      const input = {
        name: f.querySelector("#sub-name").value,
        kinds: [...f.querySelectorAll('input[name="kinds"]:checked')].map((x) => x.value),
        industries: split("sub-industries"),
        regions: split("sub-regions"),
        keywords: split("sub-keywords"),
        customerIds: split("sub-customers"),
        trust: [...f.querySelectorAll('input[name="trust"]:checked')].map((x) => x.value),
      };
      const button = f.querySelector('button[type="submit"]');
      button.disabled = true;
      msg.textContent = "";
      let saved;
      try {
        saved = editing
          ? (await gql(updateSubscriptionMutation, { id: editing.id, input })).updateSubscription
          : (await gql(createSubscriptionMutation, { input })).createSubscription;
      } catch (err) {
        button.disabled = false;
        if (err instanceof APIError && err.code === "BAD_USER_INPUT") {
          msg.textContent = err.message;
          return;
        }
        return showError(msg, err);
      }
      subs = editing ? subs.map((x) => (x.id === saved.id ? saved : x)) : [...subs, saved];
      drawList();
      drawForm(null);
      announce(t("saved", saved.name));
    });
    return f;
  }

  drawForm(null);
  drawList();
}
