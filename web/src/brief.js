// A customer's pre-visit brief (《本次沟通价值锚点清单》), from the API's brief
// query: stage with its reasons, top pains with evidence, trust and what we
// offer, decision-makers, competitors, changes, risks and talking points.
// Printable (app.css has print rules), readable at a phone's width.
import { gql } from "./api.js";
import { briefQuery as query, feedbackMutation } from "./queries.js";
import { h, mount } from "./dom.js";
import { t, e, lang, date, percent, pickLang, STAGES } from "./i18n.js";
import { showError, announce } from "./app.js";
import { historySection, fetchHistory } from "./history.js";
import { radarSection } from "./radar.js";
import { signalLine } from "./signal.js";

// The customer whose brief is shown: a signal excluded for it is marked.
let shownCustomer = "";

export async function briefPage(main, id) {
  mount(main, h("p", { class: "muted" }, t("loading")));
  // The score history is asked for beside the brief, not after it: one
  // round trip less before the page is whole.
  const history = fetchHistory(id);
  history.catch(() => {}); // its section shows the error, if the brief comes
  let data;
  try {
    data = await gql(query, { id });
  } catch (err) {
    return showError(main, err);
  }
  const b = data.brief;
  if (!b) {
    document.title = "ValueGraph";
    mount(main, h("h1", {}, t("notFound")), h("p", {}, h("a", { href: "/", "data-link": true }, t("back"))));
    return;
  }
  const c = b.customer;
  shownCustomer = c.id;
  document.title = `${c.name} · ${t("briefTitle")}`;
  const mdHref = `/briefs/${encodeURIComponent(c.id)}.md?lang=${lang()}`;
  const heading = h("h1", { tabindex: "-1" }, h("span", { class: "kicker" }, t("briefTitle")), " ", c.name);
  mount(
    main,
    h(
      "article",
      { class: "brief", "data-id": c.id },
      h("p", { class: "noprint" }, h("a", { href: "/", "data-link": true }, t("back"))),
      h(
        "header",
        {},
        heading,
        c.aliases.length ? h("p", { class: "aliases muted" }, c.aliases.join(" · ")) : null,
        h(
          "p",
          { class: "muted" },
          [c.industry, c.region, c.size].filter(Boolean).join(" · "),
          c.industry || c.region || c.size ? " · " : "",
          `${t("owner")}: ${c.owner ? c.owner.name || c.owner.id : t("unassigned")}`,
          " · ",
          `${t("generated")} ${date(b.generatedAt)}`,
        ),
        h(
          "p",
          { class: "actions noprint" },
          h("a", { href: mdHref, type: "text/markdown" }, t("markdown")),
          h("button", { type: "button", onclick: () => window.print() }, t("print")),
        ),
      ),
      stageSection(b.assessment),
      // The tier's radar beside its history (one above the other on a phone).
      h("div", { class: "tier-row" }, radarSection(b.assessment), historySection(c.id, history)),
      painSection(b.painPoints),
      peopleSection(b.decisionMakers),
      competitorSection(b.competitors),
      riskSection(b.assessment),
      changesSection(b.changes, b.lastVisit),
      talkingSection(b.talkingPoints),
      correctionsSection(b.feedback),
      feedbackSection(c.id, b.assessment, main),
    ),
  );
  heading.focus();
  announce(c.name);
}

function section(id, title, ...body) {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...body);
}

function stageSection(a) {
  if (!a) return section("stage", t("stageAndTier"), h("p", {}, `${t("notScored")}.`));
  return section(
    "stage",
    t("stageAndTier"),
    h(
      "dl",
      { class: "facts big" },
      h("div", {}, h("dt", {}, t("stage")), h("dd", {}, h("strong", {}, e(a.stage)), ` (${t("confidence")} ${percent(a.stageConfidence)})`)),
      ...stageCorrections(a),
      h("div", {}, h("dt", {}, t("tier")), h("dd", {}, h("strong", {}, e(a.tier)), ` (${a.tierScore.toFixed(2)})`)),
    ),
    h("h3", {}, t("why")),
    reasons(a.stageWhy),
    h("h3", {}, t("tierParts")),
    reasons(a.tierWhy),
  );
}

/** Every reason of a score, baseline included, with its contribution and evidence, and the score they add up to. */
function reasons(x) {
  return h(
    "ul",
    { class: "reasons" },
    x.reasons.map((r) =>
      h(
        "li",
        { class: r.contribution < 0 ? "against" : "for" },
        h("span", { class: "contribution", title: t("contribution") }, signed(r.contribution)),
        " ",
        pickLang(r.zh, r.en),
        r.evidence.length ? evidenceList(r.evidence) : null,
      ),
    ),
    h("li", { class: "total" }, h("strong", {}, `= ${signed(x.score)}`), " ", pickLang("各项相加即得分", "the reasons add up to the score")),
  );
}

function signed(x) {
  return (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(2);
}

function evidenceList(signals) {
  return h("ul", { class: "evidence", "aria-label": t("evidence") }, signals.map((s) => h("li", {}, signal(s))));
}

/** One signal: date, title (linked to its source page), kind, source and trust. */
function signal(s) {
  return [
    ...signalLine(s),
    ...(s.exclusions || [])
      .filter((x) => x.customerId === shownCustomer)
      .map((x) =>
        h(
          "span",
          { class: "excluded muted" },
          " — ",
          pickLang(`已排除：${x.by} 于 ${date(x.at)} 判断与本客户无关，不计入评分`, `excluded: ${x.by} judged it irrelevant on ${date(x.at)}; it counts in no score`),
          x.note ? ` “${x.note}”` : "",
        ),
      ),
  ];
}

function painSection(pains) {
  if (!pains.length) return section("pains", t("painPoints"), h("p", {}, t("noPains")));
  return section(
    "pains",
    t("painPoints"),
    h(
      "ol",
      { class: "pains" },
      pains.map((p) =>
        h(
          "li",
          {},
          h("h3", {}, p.need.name),
          h(
            "p",
            { class: "muted" },
            `${t("strength")} ${p.strength.toFixed(2)} · ${t("lastSeen")} ${date(p.lastSeen)} · ${t("bestSource")} `,
            h("span", { class: `trust trust-${p.bestTrust}` }, e(p.bestTrust)),
          ),
          p.offerings.length
            ? h("ul", { class: "offer" }, p.offerings.map((o) => h("li", {}, h("strong", {}, `${t("offer")}: ${o.name}`), o.description ? ` — ${o.description}` : "")))
            : h("p", { class: "muted" }, t("noOffer")),
          p.evidence.length ? [h("h4", {}, t("evidence")), evidenceList(p.evidence)] : null,
        ),
      ),
    ),
  );
}

function peopleSection(dms) {
  if (!dms.length) return section("people", t("decisionMakers"), h("p", {}, t("noPeople")));
  const names = Object.fromEntries(dms.map((d) => [d.person.id, d.person.name]));
  return section(
    "people",
    t("decisionMakers"),
    h(
      "ul",
      { class: "people" },
      dms.map(({ person: p, change }) =>
        h(
          "li",
          { class: p.until ? "left" : "" },
          h("h3", {}, p.name, change ? h("span", { class: `badge ${change}` }, t(change)) : null),
          h("p", {}, [p.title, p.role ? e(p.role) : null].filter(Boolean).join(" · ") || "—"),
          p.reportsTo ? h("p", { class: "muted" }, `${t("reportsTo")} ${names[p.reportsTo] || p.reportsTo}`) : null,
          p.phone || p.email
            ? h(
                "p",
                { class: "contact" },
                p.phone ? h("a", { href: `tel:${p.phone.replace(/[^\d+]/g, "")}` }, p.phone) : null,
                p.phone && p.email ? " · " : null,
                p.email ? h("a", { href: `mailto:${p.email}` }, p.email) : null,
              )
            : null,
          p.knownBy.length
            ? h("p", { class: "muted" }, `${t("knownBy")}: `, p.knownBy.map((k) => t("knownByLine", k.repId, k.contacts, k.answered, date(k.lastContact))).join("; "))
            : null,
        ),
      ),
    ),
  );
}

function competitorSection(cs) {
  if (!cs.length) return section("competitors", t("competitors"), h("p", {}, t("noCompetitors")));
  return section(
    "competitors",
    t("competitors"),
    h(
      "ul",
      {},
      cs.map((k) => h("li", {}, h("strong", {}, k.competitor.name), ` — ${t("mentions", k.mentions)}, ${t("lastSeen")} ${date(k.lastSeen)}`)),
    ),
  );
}

function riskSection(a) {
  if (!a) return null;
  const rows = [
    ["replacement", a.risks.replacement, a.replacementWhy],
    ["churn", a.risks.churn, a.churnWhy],
    ["credit", a.risks.credit, a.creditWhy],
  ];
  return section(
    "risks",
    t("risks"),
    h(
      "ul",
      { class: "risks" },
      rows.map(([name, v, x]) =>
        h(
          "li",
          {},
          h("h3", {}, `${t(name)} ${percent(v)}`),
          h("meter", { min: "0", max: "1", low: "0.3", high: "0.6", optimum: "0", value: String(v), "aria-label": `${t(name)} ${percent(v)}` }),
          ...riskCorrections(a, name),
          reasons(x),
        ),
      ),
    ),
  );
}

function changesSection(changes, lastVisit) {
  return section(
    "changes",
    t("changes"),
    lastVisit ? h("p", { class: "muted" }, `${t("lastVisit")}: ${date(lastVisit)}`) : null,
    changes.length ? evidenceList(changes) : h("p", {}, t("noChanges")),
  );
}

function talkingSection(tps) {
  if (!tps.length) return section("talking", t("talkingPoints"), h("p", {}, t("noTalkingPoints")));
  return section(
    "talking",
    t("talkingPoints"),
    h(
      "ol",
      { class: "talking" },
      tps.map((tp) =>
        h("li", {}, h("strong", {}, pickLang(tp.zh, tp.en)), h("p", {}, pickLang(tp.whyZh, tp.whyEn)), tp.evidence.length ? evidenceList(tp.evidence) : null),
      ),
    ),
  );
}

/** Reps' latest feedback on the customer, each with what it did. */
function correctionsSection(fbs) {
  const title = pickLang("销售代表的更正", "Reps' corrections");
  if (!fbs.length) return section("corrections", title, h("p", {}, pickLang("暂无。", "None yet.")));
  return section(
    "corrections",
    title,
    h(
      "ul",
      { class: "corrections" },
      fbs.map((f) =>
        h(
          "li",
          {},
          h("time", { datetime: f.createdAt }, date(f.createdAt)),
          ` ${f.author} · ${f.kind}`,
          f.text ? ` “${f.text}”` : "",
          h("p", { class: "muted" }, pickLang(f.effectZh, f.effectEn)),
        ),
      ),
    ),
  );
}

/** The rep's word on the stage beside what the model says, or how it ended. */
function stageCorrections(a) {
  const c = a.corrections.find((x) => x.score === "stage");
  if (!c) return [];
  const who = t("correctedBy", c.by, date(c.at));
  if (c.standing) {
    return [
      h("div", { class: "correction" }, h("dt", {}, who), h("dd", {}, c.note ? `“${c.note}” ` : "", `(${c.trust})`)),
      h("div", {}, h("dt", {}, ""), h("dd", { class: "muted" }, t("modelSays", e(a.modelStage), percent(a.modelStageConfidence)))),
    ];
  }
  return [h("div", { class: "correction ended" }, h("dt", {}, ""), h("dd", { class: "muted" }, t("correctionEnded", c.by, e(c.stage)), pickLang(c.endedZh, c.endedEn)))];
}

/** Corrections of one risk, standing or ended. */
function riskCorrections(a, name) {
  return a.corrections
    .filter((c) => c.score === name)
    .map((c) =>
      h(
        "p",
        { class: c.standing ? "correction" : "correction ended muted" },
        t("riskCorrected", c.by, date(c.at), t(c.kind === "RISK_REAL" ? "riskIsReal" : "riskIsUnfounded")),
        c.note ? ` “${c.note}”` : "",
        ` (${c.trust})`,
        c.standing ? "" : ` — ${pickLang(c.endedZh, c.endedEn)}`,
      ),
    );
}

/**
 * What a rep can correct from the brief: the stage, and whether a risk is
 * real. The API rescores at once; the brief is read again and shows it.
 */
function feedbackSection(customerId, a, main) {
  const status = h("p", { role: "status", class: "muted" });
  const note = h("input", { type: "text", name: "note", maxlength: "4000", "aria-label": t("note"), placeholder: t("note") });
  const send = async (input) => {
    status.textContent = t("loading");
    try {
      const text = note.value.trim();
      const { submitFeedback: done } = await gql(feedbackMutation, { input: { customerId, ...input, ...(text ? { text } : {}) } });
      await briefPage(main, customerId);
      announce(`${t("sent")} ${pickLang(done.effectZh, done.effectEn)}`);
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const stage = h("select", { name: "stage", "aria-label": t("wrongStage") }, STAGES.map((s) => h("option", { value: s, selected: a && s === a.stage }, e(s))));
  const riskButtons = ["replacement", "churn"].map((risk) =>
    h(
      "p",
      {},
      `${t(risk)}: `,
      h("button", { type: "button", onclick: () => send({ kind: "RISK_REAL", risk }) }, t("riskReal")),
      " ",
      h("button", { type: "button", onclick: () => send({ kind: "RISK_UNFOUNDED", risk }) }, t("riskUnfounded")),
    ),
  );
  return h(
    "section",
    { class: "noprint feedback", "aria-labelledby": "feedback" },
    h("h2", { id: "feedback" }, t("feedback")),
    h(
      "form",
      {
        onsubmit: (ev) => {
          ev.preventDefault();
          send({ kind: "WRONG_STAGE", stage: stage.value });
        },
      },
      h("label", {}, t("wrongStage"), " ", stage),
      " ",
      h("button", { type: "submit" }, t("send")),
    ),
    ...riskButtons,
    h("p", {}, note),
    status,
  );
}
