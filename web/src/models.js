// The scoring model versions, newest first, with what each was judged on:
// stage accuracy and risk log loss on held-out labels, beside the version it
// was trained from. Admins make a version active or roll back (both audited;
// the worker rescores every customer); analysts and managers only read.
import { gql } from "./api.js";
import { modelVersionsQuery, activateModelMutation, rollbackModelMutation } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, date, addWords } from "./i18n.js";
import { showError, announce } from "./app.js";

addWords({
  models: ["模型版本", "Models"],
  modelsIntro: [
    "每个版本在留出的标注上评估；只有不比前一版差时才会自动启用。启用或回滚会记录审计，并让后台重新评分所有客户。",
    "Each version is judged on held-out labels and promoted only when no worse than the one before. Activating or rolling back is audited and has the worker rescore every customer.",
  ],
  version: ["版本", "Version"],
  status: ["状态", "Status"],
  trained: ["训练时间", "Trained"],
  labels: ["标注数", "Labels"],
  heldOut: ["留出", "Held out"],
  accuracy: ["阶段准确率（前一版）", "Stage accuracy (before)"],
  logLoss: ["风险对数损失（前一版）", "Risk log loss (before)"],
  activate: ["启用", "Activate"],
  confirmActivate: ["确认启用 {0}？", "Activate {0}?"],
  rollback: ["回滚到上一版本", "Roll back to the version before"],
  confirmRollback: ["确认回滚？", "Roll back?"],
  builtIn: ["内置先验", "built in"],
  tooFew: ["标注太少，无法判断", "too few labels to judge"],
  nowActive: ["{0} 已启用，所有客户将重新评分。", "{0} is active; every customer is being rescored."],
  active: ["使用中", "active"],
  candidate: ["候选", "candidate"],
  retired: ["已停用", "retired"],
});

// Fewer held-out labels than this say nothing (jobs.MinHeldOut).
const MIN_HELD_OUT = 30;

export async function modelsPage(main, viewer) {
  document.title = `${t("models")} · ValueGraph`;
  const admin = viewer && viewer.role === "ADMIN";
  const msg = h("p", { role: "status", class: "muted" });
  const table = h("div", { "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
  mount(
    main,
    h("h1", { tabindex: "-1" }, t("models")),
    h("p", { class: "muted" }, t("modelsIntro")),
    admin ? h("p", {}, confirmButton(t("rollback"), t("confirmRollback"), "rollback", () => change(rollbackModelMutation, {}, "rollbackModel"))) : null,
    msg,
    table,
  );

  async function change(mutation, vars, field) {
    try {
      const data = await gql(mutation, vars);
      msg.textContent = t("nowActive", data[field].version);
      announce(msg.textContent);
      await load();
    } catch (err) {
      showError(msg, err);
    }
  }

  async function load() {
    let data;
    try {
      data = await gql(modelVersionsQuery);
    } catch (err) {
      return showError(table, err);
    }
    table.removeAttribute("aria-busy");
    const pair = (x, before, digits) => (x === null || x === undefined ? "—" : `${x.toFixed(digits)}${before === null || before === undefined ? "" : ` (${before.toFixed(digits)})`}`);
    mount(
      table,
      h(
        "table",
        { class: "data-table models" },
        h(
          "thead",
          {},
          h("tr", {}, [t("version"), t("status"), t("trained"), t("labels"), t("heldOut"), t("accuracy"), t("logLoss"), ""].map((x) => h("th", {}, x))),
        ),
        h(
          "tbody",
          {},
          data.modelVersions.map((v) => {
            const builtIn = new Date(v.trainedAt).getTime() === 0;
            const judged = v.heldOut !== null && v.heldOut >= MIN_HELD_OUT;
            return h(
              "tr",
              { class: `status-${v.status}`, "data-version": v.version },
              h("td", {}, v.version),
              h("td", {}, h("span", { class: `badge ${v.status === "active" ? "" : "left"}` }, t(v.status))),
              h("td", {}, builtIn ? t("builtIn") : date(v.trainedAt)),
              h("td", { class: "num" }, builtIn ? "—" : String(v.trainingSize)),
              h("td", { class: "num" }, v.heldOut === null ? "—" : String(v.heldOut)),
              h("td", { class: "num" }, builtIn ? "—" : judged ? pair(v.accuracy, v.previousAccuracy, 3) : t("tooFew")),
              h("td", { class: "num" }, builtIn || !judged ? "—" : pair(v.riskLogLoss, v.previousRiskLogLoss, 3)),
              h(
                "td",
                {},
                admin && v.status !== "active"
                  ? confirmButton(t("activate"), t("confirmActivate", v.version), "activate", () => change(activateModelMutation, { version: v.version }, "activateModel"))
                  : null,
              ),
            );
          }),
        ),
      ),
    );
  }
  await load();
}

/** A button that asks once more, in place, before it acts. */
function confirmButton(label, confirm, cls, act) {
  const b = h("button", { type: "button", class: `secondary ${cls}` }, label);
  let armed = false;
  b.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      b.textContent = confirm;
      b.classList.add("confirm");
      return;
    }
    b.disabled = true;
    await act();
  });
  b.addEventListener("blur", () => {
    armed = false;
    b.textContent = label;
    b.classList.remove("confirm");
  });
  return b;
}
