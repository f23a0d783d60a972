(() => {
  var __create = Object.create;
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __getProtoOf = Object.getPrototypeOf;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
    get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
  }) : x)(function(x) {
    if (typeof require !== "undefined") return require.apply(this, arguments);
    throw Error('Dynamic require of "' + x + '" is not supported');
  });
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
    // If the importer is in node compatibility mode or this is not an ESM
    // file that has been converted to a CommonJS file using a Babel-
    // compatible transform (i.e. "__esModule" has not been set), then set
    // "default" to the CommonJS "module.exports" for node compatibility.
    isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
    mod
  ));

  // src/api.js
  var headers = { "Content-Type": "application/json", "X-Requested-With": "valuegraph-web" };
  var APIError = class extends Error {
    constructor(message, code, status2) {
      super(message);
      this.code = code;
      this.status = status2;
    }
  };
  async function gql(query, variables = {}) {
    let res;
    try {
      res = await fetch("/graphql", { method: "POST", credentials: "same-origin", headers, body: JSON.stringify({ query, variables }) });
    } catch (e2) {
      throw new APIError(String(e2), "NETWORK", 0);
    }
    let body;
    try {
      body = await res.json();
    } catch {
      throw new APIError(`HTTP ${res.status}`, "INTERNAL", res.status);
    }
    if (body.errors && body.errors.length) {
      const e2 = body.errors[0];
      throw new APIError(e2.message, e2.extensions && e2.extensions.code || "INTERNAL", res.status);
    }
    return body.data;
  }
  async function signIn(token) {
    const res = await fetch("/session", { method: "POST", credentials: "same-origin", headers, body: JSON.stringify({ token }) });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e2 = body.errors && body.errors[0] || {};
      throw new APIError(e2.message || `HTTP ${res.status}`, e2.extensions && e2.extensions.code || "INTERNAL", res.status);
    }
    return body;
  }
  async function signOut() {
    await fetch("/session", { method: "DELETE", credentials: "same-origin", headers });
  }

  // src/queries.js
  var viewerQuery = `query Viewer { viewer { name role repId } }`;
  var customersQuery = `query Customers($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) {
    edges { node { id name aliases region industry stage stageConfidence tier tierScore signalCount lastSignalAt
      owner { id name } risks { replacement churn credit } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
  var briefQuery = `query Brief($id: ID!) {
  brief(customerId: $id) {
    generatedAt lastVisit
    customer { id name aliases region industry size owner { id name } }
    assessment {
      at modelVersion stage stageConfidence modelStage modelStageConfidence tier tierScore
      risks { replacement churn credit }
      corrections { feedbackId kind score by at note stage trust standing endedAt endedZh endedEn endedBy { ...SignalLine } }
      stageWhy { ...Why }
      tierWhy { ...Why }
      replacementWhy { ...Why }
      churnWhy { ...Why }
      creditWhy { ...Why }
    }
    painPoints { need { id name category } strength lastSeen bestTrust evidence { ...SignalLine } offerings { id name description } }
    decisionMakers { change person { id name title role email phone since until reportsTo knownBy { repId contacts answered lastContact } } }
    competitors { competitor { id name } mentions lastSeen }
    changes { ...SignalLine }
    talkingPoints { zh en whyZh whyEn evidence { ...SignalLine } }
    feedback { id kind author createdAt text effectZh effectEn reviewId }
  }
}
fragment Why on Explanation { score reasons { factor value contribution zh en evidence { ...SignalLine } parts { factor value contribution zh en } } }
fragment SignalLine on Signal { id kind title url source trust occurredAt exclusions { customerId by at note } }`;
  var feedbackMutation = `mutation Feedback($input: FeedbackInput!) {
  submitFeedback(input: $input) { id kind createdAt effectZh effectEn }
}`;
  var neighbourhoodQuery = `query Neighbourhood($id: ID!, $depth: Int, $types: [NodeKind!], $first: Int) {
  neighbourhood(id: $id, depth: $depth, types: $types, first: $first) {
    root { kind id name }
    nodes { kind id name }
    edges { from to type count }
    truncated
  }
  neighbourCounts(id: $id) { kind count }
}`;
  var neighbourCountsQuery = `query NeighbourCounts($id: ID!) { neighbourCounts(id: $id) { kind count } }`;
  var exploreSearchQuery = `query ExploreSearch($text: String!) { search(text: $text, first: 8) { kind id name } }`;
  var nodeCustomerQuery = `query NodeCustomer($id: ID!) {
  customer(id: $id) { id name region industry stage tier signalCount lastSignalAt owner { id name }
    people { id name title role email phone until } }
}`;
  var nodeCompetitorQuery = `query NodeCompetitor($id: ID!) {
  competitorFootprint(competitorId: $id, first: 8) { customer { id name } signals won lastSeen }
}`;
  var nodeNeedQuery = `query NodeNeed($id: ID!) {
  customersSharingNeed(needId: $id, first: 8) { customer { id name } signals lastSeen }
}`;
  var nodeSignalQuery = `query NodeSignal($id: ID!) { signal(id: $id) { id kind title url source trust occurredAt } }`;
  var pathsQuery = `query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 4, first: 5) { nodes { kind id name } edges { from to type count } }
}`;
  var reviewQueueQuery = `query ReviewQueue($status: ReviewStatus, $first: Int) {
  reviewQueue(status: $status, first: $first) { id name source reason provisionalId status createdAt candidates { id kind name score } }
}`;
  var resolveReviewMutation = `mutation ResolveReview($id: ID!, $candidateId: ID, $reject: Boolean) {
  resolveReview(id: $id, candidateId: $candidateId, reject: $reject) { id status }
}`;
  var modelVersionsQuery = `query ModelVersions {
  modelVersions { version status trainedAt trainingSize accuracy previousAccuracy riskLogLoss previousRiskLogLoss heldOut }
}`;
  var activateModelMutation = `mutation ActivateModel($version: String!) { activateModel(version: $version) { version status } }`;
  var rollbackModelMutation = `mutation RollbackModel { rollbackModel { version status } }`;
  var historyQuery = `query History($id: ID!, $first: Int) {
  customer(id: $id) { id history(first: $first) { at stage stageBy tier tierScore risks { replacement churn } } }
}`;
  var driftQuery = `query Drift($since: Time!, $minLevels: Int) {
  drift(since: $since, minLevels: $minLevels) {
    customer { id name region }
    before { at stage tier tierScore }
    after { at stage tier tierScore }
    tierLevels stageLevels
    causes { score factor change zh en }
  }
}`;
  var sourcesQuery = `query Sources { sources { id trust crawled lastRunAt pages records errors flagged } }`;
  var runCrawlMutation = `mutation RunCrawl($source: String!) { runCrawl(source: $source) }`;
  var feedQuery = `query Feed($first: Int, $after: String, $since: Time) {
  subscriptions { id name }
  feed(first: $first, after: $after, since: $since) {
    total unread unreadOwnCustomer truncated windowStart asOf
    pageInfo { hasNextPage endCursor }
    edges { cursor node { unread ownCustomer subscriptions
      signal { id kind title url source trust occurredAt ingestedAt }
      customers { id name role own } } }
  }
}`;
  var markFeedReadMutation = `mutation MarkFeedRead($until: Time) { markFeedRead(until: $until) { id lastReadAt } }`;
  var subscriptionsQuery = `query Subscriptions { subscriptions { ...Sub } }
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;
  var createSubscriptionMutation = `mutation CreateSubscription($input: SubscriptionInput!) {
  createSubscription(input: $input) { ...Sub }
}
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;
  var updateSubscriptionMutation = `mutation UpdateSubscription($id: ID!, $input: SubscriptionInput!) {
  updateSubscription(id: $id, input: $input) { ...Sub }
}
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;
  var deleteSubscriptionMutation = `mutation DeleteSubscription($id: ID!) { deleteSubscription(id: $id) }`;
  var alertsQuery = `query Alerts($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) {
    edges { node { id kind from to risk at customer { id name } owner { id name } causes { score factor zh en }
      followUp { followed by at } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
  var alertSummaryQuery = `query AlertSummary($since: Time) {
  alertSummary(since: $since) { owner { id name } raised followed unfollowed lastAt }
}`;

  // src/dom.js
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === void 0 || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children) {
      if (c === null || c === void 0 || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
  }
  function mount(el, ...children) {
    el.replaceChildren();
    append(el, children);
  }
  function safeURL(u) {
    try {
      const url = new URL(u, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  // src/i18n.js
  var words = {
    appName: ["价值图谱", "ValueGraph"],
    signIn: ["登录", "Sign in"],
    signOut: ["退出", "Sign out"],
    signInIntro: ["用 API 令牌登录。令牌由管理员用 valuegraph token create 生成，`make demo` 会打印一个。", "Sign in with an API token. An admin makes one with valuegraph token create; `make demo` prints one."],
    token: ["API 令牌", "API token"],
    tokenHint: ["以 vg_ 开头", "starts with vg_"],
    signingIn: ["正在登录…", "Signing in…"],
    badToken: ["令牌无效或已吊销。", "The token is unknown or revoked."],
    customers: ["客户", "Customers"],
    subscriptions: ["订阅", "Subscriptions"],
    search: ["搜索客户（中文或英文名称、简称）", "Search customers (Chinese or English name, alias)"],
    searchButton: ["搜索", "Search"],
    stage: ["价值阶段", "Stage"],
    tier: ["分级", "Tier"],
    all: ["全部", "All"],
    more: ["更多", "More"],
    loading: ["加载中…", "Loading…"],
    noCustomers: ["没有符合条件的客户。", "No customer matches."],
    shown: ["已显示 {0} 个客户", "Customers shown: {0}"],
    region: ["地区", "Region"],
    owner: ["负责人", "Owner"],
    unassigned: ["未分配", "unassigned"],
    notScored: ["尚未评分", "not scored yet"],
    signals: ["信号", "signals"],
    lastSignal: ["最近信号", "last signal"],
    risks: ["风险", "Risks"],
    replacement: ["被替换", "Replacement"],
    churn: ["流失", "Churn"],
    credit: ["信用", "Credit"],
    back: ["← 客户列表", "← Customers"],
    briefTitle: ["本次沟通价值锚点清单", "Pre-visit brief"],
    generated: ["生成于", "Generated"],
    markdown: ["Markdown 版", "As Markdown"],
    print: ["打印", "Print"],
    stageAndTier: ["阶段与分级", "Stage and tier"],
    correctedBy: ["由 {0} 于 {1} 更正", "corrected by {0} on {1}"],
    modelSays: ["模型判断：{0}（{1}）", "The model says: {0} ({1})"],
    correctionEnded: ["{0} 于 {1} 的更正已被更新、更可信的证据推翻：", "{0}'s correction of {1} was ended by newer, more trusted evidence: "],
    riskCorrected: ["{0} 于 {1} 说此风险{2}", "{0} said on {1} that this risk is {2}"],
    riskIsReal: ["属实", "real"],
    riskIsUnfounded: ["不成立", "unfounded"],
    feedback: ["反馈：系统哪里不对？", "Feedback: what did we get wrong?"],
    wrongStage: ["阶段不对，应为", "The stage is wrong; it is"],
    riskReal: ["风险属实", "The risk is real"],
    riskUnfounded: ["风险不成立", "The risk is unfounded"],
    note: ["说明（可选）", "Note (optional)"],
    send: ["提交", "Send"],
    sent: ["已提交，简报已更新。", "Sent; the brief is updated."],
    confidence: ["置信度", "confidence"],
    why: ["依据", "Why"],
    contribution: ["贡献", "contribution"],
    tierParts: ["分级构成", "What the tier is made of"],
    painPoints: ["痛点 Top 3", "Top 3 pain points"],
    noPains: ["信号中未发现明确需求。", "No need shows in the signals yet."],
    strength: ["强度", "strength"],
    lastSeen: ["最近", "last seen"],
    bestSource: ["最可信来源", "best source"],
    offer: ["建议方案", "We can offer"],
    noOffer: ["尚无对应方案", "No offering of ours addresses it yet"],
    evidence: ["证据", "Evidence"],
    decisionMakers: ["决策链", "Decision-makers"],
    noPeople: ["尚无人员信息。", "No people known yet."],
    reportsTo: ["汇报给", "reports to"],
    knownBy: ["我方熟悉的人", "Known by"],
    knownByLine: ["{0}（{1}次，回应{2}次，最近{3}）", "{0} ({1} contacts, {2} answered, last {3})"],
    joined: ["新加入", "joined"],
    left: ["已离任", "left"],
    competitors: ["竞争态势", "Competitors"],
    noCompetitors: ["信号中未出现竞争对手。", "No competitor shows in the signals."],
    mentions: ["{0} 条信号提及", "{0} signals"],
    changes: ["上次拜访以来的变化", "What changed since the last visit"],
    lastVisit: ["上次拜访", "Last visit"],
    noChanges: ["无新信号。", "No new signals."],
    talkingPoints: ["建议话题", "Talking points"],
    noTalkingPoints: ["暂无。", "None yet."],
    notFound: ["没有这个客户。", "There is no such customer."],
    forbidden: ["无权查看：", "Not allowed: "],
    error: ["出错了：", "Something went wrong: "],
    retry: ["重试", "Try again"],
    language: ["语言", "Language"],
    pageNotFound: ["页面不存在。", "There is no such page."],
    // The alerts page (alerts.js).
    alerts: ["预警", "Alerts"],
    alertsIntro: [
      "评分变化时产生的预警：阶段或分级变动、风险越过阈值。负责人在预警之后打开简报、记录活动或提交反馈，即算已跟进。",
      "Alerts rescoring raised: a stage or tier moved, a risk crossed the threshold. Its owner follows one up by opening the brief, logging an activity or giving feedback after it."
    ],
    alertKind: ["类型", "Kind"],
    followUp: ["跟进", "Follow-up"],
    followed: ["已跟进", "Followed"],
    unfollowed: ["未跟进", "Not followed"],
    followedBy: ["已跟进：{0}（{1}）", "Followed: {0} ({1})"],
    notFollowed: ["未跟进", "Not followed up"],
    raised: ["预警数", "Raised"],
    perOwner: ["各负责人的预警", "Alerts per owner"],
    perOwnerHint: [
      "大量未跟进的预警，往往说明阈值设置不当，或无人查看预警。",
      "A flood of unfollowed alerts is a threshold set wrong, or alerts nobody reads."
    ],
    lastAlert: ["最近预警", "Latest"],
    raisedAt: ["预警时间", "Raised at"],
    moved: ["变化", "What moved"],
    noAlerts: ["没有符合条件的预警。", "No alert matches."],
    alertsShown: ["已显示 {0} 条预警", "Alerts shown: {0}"],
    nobody: ["无负责人", "nobody"],
    openBrief: ["打开简报", "Open the brief"],
    causes: ["原因", "Why"],
    riskOf: ["{0}风险", "{0} risk"]
  };
  var enums = {
    DORMANT: ["休眠", "Dormant"],
    EXPLORING: ["探索", "Exploring"],
    PLANNING: ["规划", "Planning"],
    SELECTING: ["选型", "Selecting"],
    ADOPTING: ["采用", "Adopting"],
    EXPANDING: ["扩展", "Expanding"],
    A_PLUS: ["A+", "A+"],
    A: ["A", "A"],
    B: ["B", "B"],
    C: ["C", "C"],
    L1: ["L1 自有系统", "L1 own systems"],
    L2: ["L2 官方来源", "L2 official sources"],
    L3: ["L3 公开网络/观察", "L3 open web/observation"],
    economic_buyer: ["经济决策人", "economic buyer"],
    technical_lead: ["技术负责人", "technical lead"],
    user: ["使用者", "user"],
    procurement: ["采购", "procurement"],
    influencer: ["影响者", "influencer"],
    REP: ["销售代表", "rep"],
    MANAGER: ["经理", "manager"],
    ANALYST: ["分析师", "analyst"],
    ADMIN: ["管理员", "admin"],
    TENDER: ["招标", "tender"],
    AWARD: ["中标", "award"],
    PROCUREMENT_INTENT: ["采购意向", "procurement intent"],
    CUSTOMS: ["海关", "customs"],
    FORUM_POST: ["论坛帖", "forum post"],
    WHITEPAPER_DOWNLOAD: ["白皮书下载", "whitepaper download"],
    KB_SEARCH: ["知识库搜索", "knowledge-base search"],
    ERP_ORDER: ["ERP 订单", "ERP order"],
    SERVICE_TICKET: ["服务工单", "service ticket"],
    CRM_NOTE: ["CRM 记录", "CRM note"],
    EXEC_CHANGE: ["高管变动", "executive change"],
    FUNDING: ["融资", "funding"],
    COMPANY_CHANGE: ["工商变更", "company change"],
    REP_OBSERVATION: ["销售观察", "rep observation"],
    OUTREACH: ["联系", "outreach"],
    OPPORTUNITY: ["商机", "opportunity"],
    STAGE_CHANGED: ["阶段变动", "stage changed"],
    TIER_CHANGED: ["分级变动", "tier changed"],
    RISK_CROSSED: ["风险越线", "risk crossed"],
    BRIEF_OPENED: ["打开了简报", "opened the brief"],
    ACTIVITY: ["记录了活动", "logged an activity"],
    FEEDBACK: ["提交了反馈", "gave feedback"]
  };
  var STAGES = ["DORMANT", "EXPLORING", "PLANNING", "SELECTING", "ADOPTING", "EXPANDING"];
  var TIERS = ["A_PLUS", "A", "B", "C"];
  var current = pick();
  function pick() {
    try {
      const saved = localStorage.getItem("vg.lang");
      if (saved === "zh" || saved === "en") return saved;
    } catch {
    }
    return (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
  }
  function lang() {
    return current;
  }
  function setLang(l) {
    current = l === "en" ? "en" : "zh";
    try {
      localStorage.setItem("vg.lang", current);
    } catch {
    }
    document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  }
  function addWords(more) {
    Object.assign(words, more);
  }
  function t(key, ...args) {
    const w = words[key];
    let s3 = w ? w[current === "zh" ? 0 : 1] : key;
    args.forEach((a, i) => s3 = s3.replace(`{${i}}`, String(a)));
    return s3;
  }
  function e(value) {
    if (value === null || value === void 0 || value === "") return "—";
    const w = enums[value];
    return w ? w[current === "zh" ? 0 : 1] : String(value).replace(/_/g, " ");
  }
  function pickLang(zh, en) {
    return current === "zh" ? zh || en : en || zh;
  }
  function date(iso) {
    return iso ? String(iso).slice(0, 10) : "—";
  }
  function percent(x) {
    return x === null || x === void 0 ? "—" : `${Math.round(x * 100)}%`;
  }

  // src/signin.js
  function signInPage(main2) {
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
      msg
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.textContent = "";
      button.disabled = true;
      button.textContent = t("signingIn");
      try {
        const viewer2 = await signIn(input.value.trim());
        input.value = "";
        signedIn(viewer2, new URLSearchParams(location.search).get("next"));
      } catch (err) {
        msg.textContent = err.code === "UNAUTHENTICATED" ? t("badToken") : t("error") + err.message;
        button.disabled = false;
        button.textContent = t("signIn");
        input.focus();
      }
    });
    mount(main2, h("h1", {}, t("signIn")), h("p", {}, t("signInIntro")), form);
    input.focus();
  }

  // src/pager.js
  function pagedList({ list, footer, count, fetchPage, row: row5, counted }) {
    let shown = 0;
    async function load2(after) {
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
      for (const { node } of edges) list.appendChild(row5(node));
      shown += edges.length;
      list.removeAttribute("aria-busy");
      count.textContent = counted(shown);
      announce(count.textContent);
      footer.replaceChildren();
      if (pageInfo.hasNextPage) {
        const more = h("button", { type: "button" }, t("more"));
        more.addEventListener("click", () => load2(pageInfo.endCursor));
        footer.appendChild(more);
      }
    }
    load2(null);
  }

  // src/signal.js
  function signalLine(s3) {
    const url = s3.url && safeURL(s3.url);
    const title = s3.title || e(s3.kind);
    return [
      h("time", { datetime: s3.occurredAt }, date(s3.occurredAt)),
      " ",
      url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, title) : title,
      " ",
      h("span", { class: "muted" }, `(${e(s3.kind)}, ${s3.source}, `),
      h("span", { class: `trust trust-${s3.trust}` }, e(s3.trust)),
      h("span", { class: "muted" }, ")")
    ];
  }

  // src/feed.js
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
    supplier: ["供应方", "supplier"]
  });
  var PAGE = 10;
  var WINDOW_DAYS = 30;
  async function feedPanel(el, viewer2) {
    el.setAttribute("aria-busy", "true");
    mount(el, h("h2", {}, t("feed")), h("p", { class: "muted" }, t("loading")));
    const since = new Date(Date.now() - WINDOW_DAYS * 24 * 3600 * 1e3).toISOString();
    let data;
    try {
      data = await gql(feedQuery, { first: PAGE, after: null, since });
    } catch (err) {
      el.removeAttribute("aria-busy");
      return showError(el, err);
    }
    el.removeAttribute("aria-busy");
    const names = new Map(data.subscriptions.map((s3) => [s3.id, s3.name]));
    const manage = h("a", { href: "/subscriptions", "data-link": true }, t("feedManage"));
    if (!data.subscriptions.length) {
      mount(el, h("h2", {}, t("feed")), h("p", { class: "muted" }, t("feedNoSubscriptions"), " ", manage));
      return;
    }
    const feed = data.feed;
    const badge = feed.unread ? h("span", { class: "badge unread-count" }, t("feedUnread", feed.unread)) : null;
    const alert = feed.unreadOwnCustomer ? h("p", { class: "own-alert", role: "alert" }, "● ", t("feedOwnAlert", feed.unreadOwnCustomer)) : null;
    const list = h("ul", { class: "feed" });
    const footer = h("div", { class: "more" });
    const msg = h("p", { role: "status", class: "muted" });
    const markRead = feed.unread ? h("button", { type: "button", class: "secondary mark-read", onclick: () => doMarkRead() }, t("feedMarkRead")) : null;
    mount(
      el,
      h("h2", {}, t("feed"), badge),
      alert,
      h("p", { class: "actions" }, manage, markRead, feed.truncated ? h("span", { class: "muted" }, t("feedTruncated", date(feed.windowStart))) : null),
      list,
      footer,
      msg
    );
    if (!feed.edges.length) list.appendChild(h("li", { class: "muted" }, t("feedEmpty")));
    if (feed.unread) announce(t("feedUnread", feed.unread));
    const addPage = (page) => {
      for (const { node } of page.edges) list.appendChild(entry(node, names, viewer2));
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
  function entry(n, names, viewer2) {
    const linked = (c) => c.own || !viewer2 || viewer2.role !== "REP";
    const s3 = n.signal;
    return h(
      "li",
      { class: ["feed-entry", n.unread ? "unread" : null, n.ownCustomer ? "own" : null].filter(Boolean).join(" "), "data-id": s3.id },
      h(
        "p",
        { class: "feed-title" },
        n.unread ? h("span", { class: "unread-dot", title: t("unreadMark"), "aria-label": t("unreadMark") }, "● ") : null,
        ...signalLine(s3),
        n.ownCustomer ? h("span", { class: "badge own-badge" }, t("ownCustomer")) : null
      ),
      h(
        "p",
        { class: "feed-meta muted" },
        n.customers.map((c, i) => [
          i ? " · " : null,
          linked(c) ? h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true, class: c.own ? "own-customer" : null }, c.name) : h("span", {}, c.name),
          c.role !== "about" ? ` (${t(c.role)})` : null
        ]),
        n.customers.length ? " — " : null,
        n.subscriptions.map((id) => names.get(id) || id).join(" · ")
      )
    );
  }

  // src/customers.js
  var PAGE2 = 25;
  function customersPage(main2, viewer2) {
    document.title = `${t("customers")} · ValueGraph`;
    const params = new URLSearchParams(location.search);
    const q = params.get("q") || "";
    const stage = params.get("stage") || "";
    const tier = params.get("tier") || "";
    const select = (id, label, values, value) => h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("select", { id, name: id }, h("option", { value: "" }, t("all")), values.map((v) => h("option", { value: v, selected: v === value }, e(v))))
    );
    const form = h(
      "form",
      { class: "filters", role: "search" },
      h("div", { class: "field grow" }, h("label", { for: "q" }, t("search")), h("input", { id: "q", name: "q", type: "search", value: q, autocomplete: "off" })),
      select("stage", t("stage"), STAGES, stage),
      select("tier", t("tier"), TIERS, tier),
      h("button", { type: "submit" }, t("searchButton"))
    );
    const apply = (ev) => {
      ev.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
      const s3 = next.toString();
      const focused = document.activeElement && document.activeElement.id;
      navigate(s3 ? `/?${s3}` : "/");
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    };
    form.addEventListener("submit", apply);
    for (const sel of form.querySelectorAll("select")) sel.addEventListener("change", apply);
    const list = h("ul", { class: "customers", "aria-busy": "true" });
    const footer = h("div", { class: "more" });
    const heading = h("h1", { tabindex: "-1" }, t("customers"));
    const feed = q || stage || tier ? null : h("section", { class: "feed-panel card", "aria-label": t("feed") });
    mount(main2, feed, heading, form, h("p", { class: "muted", id: "count" }), list, footer);
    if (feed) feedPanel(feed, viewer2);
    const filter = {};
    if (q) filter.text = q;
    if (stage) filter.stage = [stage];
    if (tier) filter.tier = [tier];
    pagedList({
      list,
      footer,
      count: main2.querySelector("#count"),
      fetchPage: async (after) => (await gql(customersQuery, { filter, first: PAGE2, after })).customers,
      row,
      counted: (shown) => shown ? t("shown", shown) : t("noCustomers")
    });
  }
  function row(c) {
    const risks = c.risks || {};
    return h(
      "li",
      { class: "customer" },
      h(
        "h2",
        {},
        h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, c.name),
        " ",
        h("a", { class: "explore-link", href: `/explore?id=${encodeURIComponent(c.id)}`, "data-link": true, title: t("explore") }, "⌖")
      ),
      c.aliases && c.aliases.length ? h("p", { class: "aliases muted" }, c.aliases.join(" · ")) : null,
      h(
        "dl",
        { class: "facts" },
        fact(t("stage"), c.stage ? `${e(c.stage)} (${percent(c.stageConfidence)})` : t("notScored")),
        fact(t("tier"), c.tier ? e(c.tier) : "—"),
        fact(t("region"), c.region || "—"),
        fact(t("owner"), c.owner ? c.owner.name || c.owner.id : t("unassigned")),
        fact(t("risks"), c.stage ? `${t("replacement")} ${percent(risks.replacement)} · ${t("churn")} ${percent(risks.churn)} · ${t("credit")} ${percent(risks.credit)}` : "—"),
        fact(t("lastSignal"), `${date(c.lastSignalAt)} (${c.signalCount} ${t("signals")})`)
      )
    );
  }
  function fact(term, value) {
    return h("div", {}, h("dt", {}, term), h("dd", {}, value));
  }

  // src/history.js
  addWords({
    history: ["评分历史", "Score history"],
    noHistory: ["尚无评分记录。", "Not scored yet."],
    tierScore: ["分级得分", "tier score"],
    historyPoints: ["最近 {0} 次评分，{1} 至 {2}", "Scorings: {0}, {1} to {2}"]
  });
  var W = 640;
  var STAGE_H = 96;
  var GAP = 14;
  var SCORE_H = 90;
  var LEFT = 78;
  var RIGHT = 8;
  var H = STAGE_H + GAP + SCORE_H + 18;
  var NS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== void 0) el.setAttribute(k, String(v));
    for (const c of children.flat(Infinity)) if (c !== null && c !== void 0) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    return el;
  }
  function fetchHistory(customerId) {
    return gql(historyQuery, { id: customerId, first: 60 });
  }
  function historySection(customerId, pending) {
    const body = h("div", { class: "history", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
    load(customerId, body, pending);
    return h("section", { "aria-labelledby": "history", class: "history-section" }, h("h2", { id: "history" }, t("history")), body);
  }
  async function load(id, body, pending) {
    try {
      const data = await (pending || fetchHistory(id));
      const points = data.customer ? data.customer.history.slice().reverse() : [];
      if (!points.length) body.replaceChildren(h("p", { class: "muted" }, t("noHistory")));
      else body.replaceChildren(chart(points), legend(points));
    } catch (err) {
      body.replaceChildren(h("p", { class: "error" }, t("error") + err.message));
    }
    body.removeAttribute("aria-busy");
  }
  function chart(points) {
    const times = points.map((p) => new Date(p.at).getTime());
    const t0 = times[0], t1 = times[times.length - 1];
    const x = (tm) => t1 === t0 ? (LEFT + W - RIGHT) / 2 : LEFT + (tm - t0) / (t1 - t0) * (W - LEFT - RIGHT);
    const rowH = STAGE_H / STAGES.length;
    const ys = (stage) => STAGE_H - (STAGES.indexOf(stage) + 0.5) * rowH;
    const top = STAGE_H + GAP;
    const yv = (v) => top + SCORE_H - v * SCORE_H;
    const line = (f, cls) => {
      const d = points.map((p, i) => `${i ? "L" : "M"}${x(times[i]).toFixed(1)},${yv(f(p)).toFixed(1)}`).join("");
      return s("path", { d, class: cls, fill: "none" });
    };
    let step = "";
    points.forEach((p, i) => {
      const px = x(times[i]).toFixed(1), py = ys(p.stage).toFixed(1);
      step += i ? `H${px}V${py}` : `M${px},${py}`;
    });
    const svg = s(
      "svg",
      { viewBox: `0 0 ${W} ${H}`, class: "history-chart", role: "img", "aria-label": `${t("history")}: ${points.map((p) => `${date(p.at)} ${e(p.stage)} ${e(p.tier)}`).join("; ")}` },
      STAGES.map((st) => [
        s("line", { x1: LEFT, x2: W - RIGHT, y1: ys(st), y2: ys(st), class: "grid" }),
        s("text", { x: LEFT - 6, y: ys(st) + 3, "text-anchor": "end", class: "axis" }, e(st))
      ]),
      [0, 0.5, 1].map((v) => [
        s("line", { x1: LEFT, x2: W - RIGHT, y1: yv(v), y2: yv(v), class: "grid" }),
        s("text", { x: LEFT - 6, y: yv(v) + 3, "text-anchor": "end", class: "axis" }, percent(v))
      ]),
      s("path", { d: step, class: "stage-line", fill: "none" }),
      line((p) => p.tierScore, "tier-line"),
      line((p) => p.risks.replacement, "risk-line replacement"),
      line((p) => p.risks.churn, "risk-line churn"),
      // Dots as well as lines: a single scoring has no line to draw.
      points.map((p, i) => [
        s("circle", { cx: x(times[i]), cy: yv(p.tierScore), r: 2.5, class: "tier-point" }),
        s("circle", { cx: x(times[i]), cy: yv(p.risks.replacement), r: 2, class: "risk-point replacement" }),
        s("circle", { cx: x(times[i]), cy: yv(p.risks.churn), r: 2, class: "risk-point churn" })
      ]),
      points.map(
        (p, i) => s(
          "circle",
          { cx: x(times[i]), cy: ys(p.stage), r: 3.5, class: p.stageBy ? "point corrected" : "point" },
          s("title", {}, `${date(p.at)}: ${e(p.stage)}${p.stageBy ? ` (${p.stageBy})` : ""} · ${t("tier")} ${e(p.tier)} ${p.tierScore.toFixed(2)}`)
        )
      ),
      s("text", { x: LEFT, y: H - 2, class: "axis" }, date(points[0].at)),
      s("text", { x: W - RIGHT, y: H - 2, "text-anchor": "end", class: "axis" }, date(points[points.length - 1].at))
    );
    return svg;
  }
  function legend(points) {
    return h(
      "p",
      { class: "legend muted" },
      t("historyPoints", points.length, date(points[0].at), date(points[points.length - 1].at)),
      " · ",
      h("span", { class: "key stage-key" }, t("stage")),
      " ",
      h("span", { class: "key tier-key" }, t("tierScore")),
      " ",
      h("span", { class: "key replacement-key" }, t("replacement")),
      " ",
      h("span", { class: "key churn-key" }, t("churn"))
    );
  }

  // src/radar.js
  addWords({
    tierRadar: ["分级雷达", "The tier at a glance"],
    radarNumbers: ["数值", "The numbers"],
    radarPart: ["构成", "Part"],
    radarValue: ["值", "Value"],
    radarWeight: ["权重", "Weight"],
    radarAdds: ["计入", "Adds"],
    radarLabel: ["分级 {0}，得分 {1}：{2}", "Tier {0}, score {1}: {2}"],
    radarOld: ["此次评分未保存各部分的明细。", "This scoring did not keep what each part is made of."],
    part_base: ["基础", "Base"],
    part_growth: ["增长", "Growth"],
    part_health: ["健康", "Health"],
    f_orders: ["订单", "orders"],
    f_imports: ["进口", "imports"],
    f_orderTrend: ["订单趋势", "order trend"],
    f_importTrend: ["进口趋势", "import trend"],
    f_intention: ["采购意向", "intentions"],
    f_tender: ["招标", "tenders"],
    f_research: ["调研", "research"],
    f_pipeline: ["商机", "pipeline"],
    f_tickets: ["工单", "tickets"],
    f_complaints: ["抱怨", "complaints"],
    f_silence: ["沉默", "silence"],
    f_unanswered: ["未回应", "unanswered"]
  });
  var PARTS = ["base", "growth", "health"];
  var W2 = 400;
  var H2 = 330;
  var CX = W2 / 2;
  var CY = H2 / 2;
  var R = 112;
  var NS2 = "http://www.w3.org/2000/svg";
  function s2(tag, attrs, ...children) {
    const el = document.createElementNS(NS2, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== void 0) el.setAttribute(k, String(v));
    for (const c of children.flat(Infinity)) if (c !== null && c !== void 0) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    return el;
  }
  var clip = (x) => Math.max(0, Math.min(1, x));
  var word = (key, fallback) => {
    const w = t(key);
    return w === key ? fallback : w;
  };
  var partName = (p) => word(`part_${p}`, p);
  var featName = (f) => word(`f_${f}`, f);
  function spokes(tierWhy) {
    const byPart = Object.fromEntries(tierWhy.reasons.map((r) => [r.factor, r]));
    const out = [];
    for (const p of PARTS) {
      const r = byPart[p];
      if (!r) continue;
      out.push({ factor: p, part: p, main: true, value: clip(r.value), reason: r });
      const feats = (r.parts || []).slice().sort((a, b) => a.factor.localeCompare(b.factor));
      for (const f of feats) {
        out.push({ factor: f.factor, part: p, main: false, value: p === "health" ? clip(1 + f.contribution) : clip(f.contribution), reason: f });
      }
    }
    return out;
  }
  function radarSection(a) {
    if (!a) return null;
    const sp = spokes(a.tierWhy);
    const hasParts = sp.some((x) => !x.main);
    const n = sp.length;
    const angle = (i) => -Math.PI / 2 + 2 * Math.PI * i / n;
    const at = (i, v) => [CX + R * v * Math.cos(angle(i)), CY + R * v * Math.sin(angle(i))];
    const pt = (xy) => `${xy[0].toFixed(1)},${xy[1].toFixed(1)}`;
    const summary = sp.filter((x) => x.main).map((x) => {
      const feats = sp.filter((f) => !f.main && f.part === x.part).map((f) => `${featName(f.factor)} ${f.reason.value.toFixed(2)}`);
      return `${partName(x.part)} ${percent(x.value)}${feats.length ? ` (${feats.join(", ")})` : ""}`;
    }).join("; ");
    const label = t("radarLabel", e(a.tier), a.tierScore.toFixed(2), summary);
    const svg = s2(
      "svg",
      { viewBox: `0 0 ${W2} ${H2}`, class: "tier-radar", role: "img", "aria-label": label, "data-tier": a.tier },
      s2("title", {}, label),
      // Rings at a quarter, half, three quarters and the whole.
      [0.25, 0.5, 0.75, 1].map((v) => s2("polygon", { class: "ring", points: sp.map((_, i) => pt(at(i, v))).join(" ") })),
      sp.map((x, i) => s2("line", { class: x.main ? "spoke main" : "spoke", x1: CX, y1: CY, x2: at(i, 1)[0], y2: at(i, 1)[1] })),
      s2("polygon", { class: "area", points: sp.map((x, i) => pt(at(i, x.value))).join(" ") }),
      sp.map((x, i) => {
        const [px, py] = at(i, x.value);
        const [lx, ly] = at(i, x.main ? 1.1 : 1.08);
        const anchor = Math.abs(lx - CX) < 8 ? "middle" : lx < CX ? "end" : "start";
        const dy = Math.abs(ly - CY) < 8 ? 3 : ly < CY ? -2 : 9;
        return s2(
          "g",
          { class: `axis-point ${x.main ? "main" : "feature"} part-${x.part}`, "data-factor": x.factor, "data-part": x.part, "data-value": x.reason.value, "data-radius": x.value.toFixed(4) },
          s2("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: x.main ? 4 : 2.5 }),
          s2(
            "text",
            { x: lx.toFixed(1), y: (ly + dy).toFixed(1), "text-anchor": anchor, class: x.main ? "label main" : "label" },
            x.main ? `${partName(x.factor)} ${percent(x.value)}` : featName(x.factor)
          ),
          s2("title", {}, `${x.main ? partName(x.factor) : featName(x.factor)}: ${pickLang(x.reason.zh, x.reason.en)}`)
        );
      })
    );
    const rows = [];
    for (const x of sp.filter((y) => y.main)) {
      rows.push(
        h(
          "tr",
          { class: "part", "data-factor": x.factor },
          h("th", { scope: "row" }, partName(x.factor)),
          h("td", { class: "num" }, x.reason.value.toFixed(2)),
          h("td", { class: "num" }, x.reason.value ? (x.reason.contribution / x.reason.value).toFixed(2) : "—"),
          h("td", { class: "num" }, x.reason.contribution.toFixed(2))
        )
      );
      for (const f of sp.filter((y) => !y.main && y.part === x.part)) {
        rows.push(
          h(
            "tr",
            { class: "feature", "data-factor": f.factor, "data-part": f.part },
            h("th", { scope: "row" }, h("span", { class: "indent" }, featName(f.factor)), " ", h("span", { class: "muted" }, pickLang(f.reason.zh, f.reason.en))),
            h("td", { class: "num" }, f.reason.value.toFixed(2)),
            h("td", { class: "num" }, f.reason.value ? (f.reason.contribution / f.reason.value).toFixed(2) : "—"),
            h("td", { class: "num" }, (f.reason.contribution >= 0 ? "+" : "−") + Math.abs(f.reason.contribution).toFixed(2))
          )
        );
      }
    }
    const table = h(
      "table",
      { class: "data-table radar-table" },
      h("caption", { class: "muted" }, t("radarLabel", e(a.tier), a.tierScore.toFixed(2), "")),
      h("thead", {}, h("tr", {}, [t("radarPart"), t("radarValue"), t("radarWeight"), t("radarAdds")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows)
    );
    return h(
      "section",
      { "aria-labelledby": "radar", class: "radar-section" },
      h("h2", { id: "radar" }, t("tierRadar"), " ", h("span", { class: "badge" }, `${e(a.tier)} · ${a.tierScore.toFixed(2)}`)),
      svg,
      hasParts ? null : h("p", { class: "muted" }, t("radarOld")),
      h("details", { class: "radar-numbers" }, h("summary", {}, t("radarNumbers")), table)
    );
  }

  // src/brief.js
  var shownCustomer = "";
  async function briefPage(main2, id) {
    mount(main2, h("p", { class: "muted" }, t("loading")));
    const history2 = fetchHistory(id);
    history2.catch(() => {
    });
    let data;
    try {
      data = await gql(briefQuery, { id });
    } catch (err) {
      return showError(main2, err);
    }
    const b = data.brief;
    if (!b) {
      document.title = "ValueGraph";
      mount(main2, h("h1", {}, t("notFound")), h("p", {}, h("a", { href: "/", "data-link": true }, t("back"))));
      return;
    }
    const c = b.customer;
    shownCustomer = c.id;
    document.title = `${c.name} · ${t("briefTitle")}`;
    const mdHref = `/briefs/${encodeURIComponent(c.id)}.md?lang=${lang()}`;
    const heading = h("h1", { tabindex: "-1" }, h("span", { class: "kicker" }, t("briefTitle")), " ", c.name);
    mount(
      main2,
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
            `${t("generated")} ${date(b.generatedAt)}`
          ),
          h(
            "p",
            { class: "actions noprint" },
            h("a", { href: mdHref, type: "text/markdown" }, t("markdown")),
            h("button", { type: "button", onclick: () => window.print() }, t("print"))
          )
        ),
        stageSection(b.assessment),
        // The tier's radar beside its history (one above the other on a phone).
        h("div", { class: "tier-row" }, radarSection(b.assessment), historySection(c.id, history2)),
        painSection(b.painPoints),
        peopleSection(b.decisionMakers),
        competitorSection(b.competitors),
        riskSection(b.assessment),
        changesSection(b.changes, b.lastVisit),
        talkingSection(b.talkingPoints),
        correctionsSection(b.feedback),
        feedbackSection(c.id, b.assessment, main2)
      )
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
        h("div", {}, h("dt", {}, t("tier")), h("dd", {}, h("strong", {}, e(a.tier)), ` (${a.tierScore.toFixed(2)})`))
      ),
      h("h3", {}, t("why")),
      reasons(a.stageWhy),
      h("h3", {}, t("tierParts")),
      reasons(a.tierWhy)
    );
  }
  function reasons(x) {
    return h(
      "ul",
      { class: "reasons" },
      x.reasons.map(
        (r) => h(
          "li",
          { class: r.contribution < 0 ? "against" : "for" },
          h("span", { class: "contribution", title: t("contribution") }, signed(r.contribution)),
          " ",
          pickLang(r.zh, r.en),
          r.evidence.length ? evidenceList(r.evidence) : null
        )
      ),
      h("li", { class: "total" }, h("strong", {}, `= ${signed(x.score)}`), " ", pickLang("各项相加即得分", "the reasons add up to the score"))
    );
  }
  function signed(x) {
    return (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(2);
  }
  function evidenceList(signals) {
    return h("ul", { class: "evidence", "aria-label": t("evidence") }, signals.map((s3) => h("li", {}, signal(s3))));
  }
  function signal(s3) {
    return [
      ...signalLine(s3),
      ...(s3.exclusions || []).filter((x) => x.customerId === shownCustomer).map(
        (x) => h(
          "span",
          { class: "excluded muted" },
          " — ",
          pickLang(`已排除：${x.by} 于 ${date(x.at)} 判断与本客户无关，不计入评分`, `excluded: ${x.by} judged it irrelevant on ${date(x.at)}; it counts in no score`),
          x.note ? ` “${x.note}”` : ""
        )
      )
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
        pains.map(
          (p) => h(
            "li",
            {},
            h("h3", {}, p.need.name),
            h(
              "p",
              { class: "muted" },
              `${t("strength")} ${p.strength.toFixed(2)} · ${t("lastSeen")} ${date(p.lastSeen)} · ${t("bestSource")} `,
              h("span", { class: `trust trust-${p.bestTrust}` }, e(p.bestTrust))
            ),
            p.offerings.length ? h("ul", { class: "offer" }, p.offerings.map((o) => h("li", {}, h("strong", {}, `${t("offer")}: ${o.name}`), o.description ? ` — ${o.description}` : ""))) : h("p", { class: "muted" }, t("noOffer")),
            p.evidence.length ? [h("h4", {}, t("evidence")), evidenceList(p.evidence)] : null
          )
        )
      )
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
        dms.map(
          ({ person: p, change }) => h(
            "li",
            { class: p.until ? "left" : "" },
            h("h3", {}, p.name, change ? h("span", { class: `badge ${change}` }, t(change)) : null),
            h("p", {}, [p.title, p.role ? e(p.role) : null].filter(Boolean).join(" · ") || "—"),
            p.reportsTo ? h("p", { class: "muted" }, `${t("reportsTo")} ${names[p.reportsTo] || p.reportsTo}`) : null,
            p.phone || p.email ? h(
              "p",
              { class: "contact" },
              p.phone ? h("a", { href: `tel:${p.phone.replace(/[^\d+]/g, "")}` }, p.phone) : null,
              p.phone && p.email ? " · " : null,
              p.email ? h("a", { href: `mailto:${p.email}` }, p.email) : null
            ) : null,
            p.knownBy.length ? h("p", { class: "muted" }, `${t("knownBy")}: `, p.knownBy.map((k) => t("knownByLine", k.repId, k.contacts, k.answered, date(k.lastContact))).join("; ")) : null
          )
        )
      )
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
        cs.map((k) => h("li", {}, h("strong", {}, k.competitor.name), ` — ${t("mentions", k.mentions)}, ${t("lastSeen")} ${date(k.lastSeen)}`))
      )
    );
  }
  function riskSection(a) {
    if (!a) return null;
    const rows = [
      ["replacement", a.risks.replacement, a.replacementWhy],
      ["churn", a.risks.churn, a.churnWhy],
      ["credit", a.risks.credit, a.creditWhy]
    ];
    return section(
      "risks",
      t("risks"),
      h(
        "ul",
        { class: "risks" },
        rows.map(
          ([name, v, x]) => h(
            "li",
            {},
            h("h3", {}, `${t(name)} ${percent(v)}`),
            h("meter", { min: "0", max: "1", low: "0.3", high: "0.6", optimum: "0", value: String(v), "aria-label": `${t(name)} ${percent(v)}` }),
            ...riskCorrections(a, name),
            reasons(x)
          )
        )
      )
    );
  }
  function changesSection(changes, lastVisit) {
    return section(
      "changes",
      t("changes"),
      lastVisit ? h("p", { class: "muted" }, `${t("lastVisit")}: ${date(lastVisit)}`) : null,
      changes.length ? evidenceList(changes) : h("p", {}, t("noChanges"))
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
        tps.map(
          (tp) => h("li", {}, h("strong", {}, pickLang(tp.zh, tp.en)), h("p", {}, pickLang(tp.whyZh, tp.whyEn)), tp.evidence.length ? evidenceList(tp.evidence) : null)
        )
      )
    );
  }
  function correctionsSection(fbs) {
    const title = pickLang("销售代表的更正", "Reps' corrections");
    if (!fbs.length) return section("corrections", title, h("p", {}, pickLang("暂无。", "None yet.")));
    return section(
      "corrections",
      title,
      h(
        "ul",
        { class: "corrections" },
        fbs.map(
          (f) => h(
            "li",
            {},
            h("time", { datetime: f.createdAt }, date(f.createdAt)),
            ` ${f.author} · ${f.kind}`,
            f.text ? ` “${f.text}”` : "",
            h("p", { class: "muted" }, pickLang(f.effectZh, f.effectEn))
          )
        )
      )
    );
  }
  function stageCorrections(a) {
    const c = a.corrections.find((x) => x.score === "stage");
    if (!c) return [];
    const who = t("correctedBy", c.by, date(c.at));
    if (c.standing) {
      return [
        h("div", { class: "correction" }, h("dt", {}, who), h("dd", {}, c.note ? `“${c.note}” ` : "", `(${c.trust})`)),
        h("div", {}, h("dt", {}, ""), h("dd", { class: "muted" }, t("modelSays", e(a.modelStage), percent(a.modelStageConfidence))))
      ];
    }
    return [h("div", { class: "correction ended" }, h("dt", {}, ""), h("dd", { class: "muted" }, t("correctionEnded", c.by, e(c.stage)), pickLang(c.endedZh, c.endedEn)))];
  }
  function riskCorrections(a, name) {
    return a.corrections.filter((c) => c.score === name).map(
      (c) => h(
        "p",
        { class: c.standing ? "correction" : "correction ended muted" },
        t("riskCorrected", c.by, date(c.at), t(c.kind === "RISK_REAL" ? "riskIsReal" : "riskIsUnfounded")),
        c.note ? ` “${c.note}”` : "",
        ` (${c.trust})`,
        c.standing ? "" : ` — ${pickLang(c.endedZh, c.endedEn)}`
      )
    );
  }
  function feedbackSection(customerId, a, main2) {
    const status2 = h("p", { role: "status", class: "muted" });
    const note = h("input", { type: "text", name: "note", maxlength: "4000", "aria-label": t("note"), placeholder: t("note") });
    const send = async (input) => {
      status2.textContent = t("loading");
      try {
        const text = note.value.trim();
        const { submitFeedback: done } = await gql(feedbackMutation, { input: { customerId, ...input, ...text ? { text } : {} } });
        await briefPage(main2, customerId);
        announce(`${t("sent")} ${pickLang(done.effectZh, done.effectEn)}`);
      } catch (err) {
        status2.textContent = err.message;
      }
    };
    const stage = h("select", { name: "stage", "aria-label": t("wrongStage") }, STAGES.map((s3) => h("option", { value: s3, selected: a && s3 === a.stage }, e(s3))));
    const riskButtons = ["replacement", "churn"].map(
      (risk) => h(
        "p",
        {},
        `${t(risk)}: `,
        h("button", { type: "button", onclick: () => send({ kind: "RISK_REAL", risk }) }, t("riskReal")),
        " ",
        h("button", { type: "button", onclick: () => send({ kind: "RISK_UNFOUNDED", risk }) }, t("riskUnfounded"))
      )
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
          }
        },
        h("label", {}, t("wrongStage"), " ", stage),
        " ",
        h("button", { type: "submit" }, t("send"))
      ),
      ...riskButtons,
      h("p", {}, note),
      status2
    );
  }

  // src/explorer.js
  addWords({
    explore: ["关系探索", "Explore"],
    exploreIntro: ["从一个客户、竞争对手或联系人开始，点击节点查看详情并按类型展开。", "Start from a customer, competitor or person; click a node to see it and expand its neighbours by kind."],
    exploreSearch: ["查找起点（客户、竞争对手、联系人）", "Start from (customer, competitor, person)"],
    exploreGo: ["查找", "Find"],
    noHits: ["没有找到。", "Nothing found."],
    nodes: ["{0} 个节点，{1} 条关系", "{0} nodes, {1} relationships"],
    truncated: ["（已截断）", " (cut short)"],
    expand: ["展开", "Expand"],
    expandMore: ["再展开 {0}", "{0} more"],
    throughSignals: ["经由信号的竞争对手、需求与联系人", "Competitors, needs and people through its signals"],
    allShown: ["均已显示", "all shown"],
    pathFrom: ["设为路径起点", "Path from here"],
    pathTo: ["显示到此的路径（自 {0}）", "Paths to here (from {0})"],
    noPath: ["4 跳之内没有路径。", "No path within 4 hops."],
    openBrief: ["打开简报", "Open the brief"],
    recenter: ["以此为中心重新开始", "Start again from here"],
    footprint: ["涉及的客户", "Customers around it"],
    wonTender: ["中标", "won a tender"],
    worksAt: ["任职于", "works at"],
    contactHidden: ["联系方式：无权查看", "Contact data: not yours to see"],
    kindCustomer: ["客户", "Customers"],
    kindPerson: ["联系人", "People"],
    kindCompetitor: ["竞争对手", "Competitors"],
    kindNeed: ["需求", "Needs"],
    kindSignal: ["信号", "Signals"],
    kindRep: ["销售代表", "Reps"],
    kindOffering: ["我方方案", "Offerings"],
    kindProduct: ["产品", "Products"]
  });
  var KINDS = {
    Customer: { api: "CUSTOMER", color: "#0b5cad", shape: "round-rectangle" },
    Person: { api: "PERSON", color: "#1c7c3c", shape: "ellipse" },
    Competitor: { api: "COMPETITOR", color: "#b3261e", shape: "diamond" },
    Need: { api: "NEED", color: "#b86e00", shape: "hexagon" },
    Signal: { api: "SIGNAL", color: "#7a8494", shape: "ellipse" },
    Rep: { api: "REP", color: "#6b3fa0", shape: "round-triangle" },
    Offering: { api: "OFFERING", color: "#00807a", shape: "round-tag" },
    Product: { api: "PRODUCT", color: "#8a5a44", shape: "barrel" }
  };
  var START_TYPES = ["CUSTOMER", "PERSON", "COMPETITOR", "NEED", "REP", "OFFERING", "PRODUCT"];
  var START_FIRST = 150;
  var PAGE3 = 50;
  var LABELLED = 300;
  var QUIET = /* @__PURE__ */ new Set(["Signal", "Person"]);
  var cytoscapeModule = null;
  function loadCytoscape() {
    cytoscapeModule || (cytoscapeModule = import("/cytoscape.js").then((m) => m.default));
    return cytoscapeModule;
  }
  function webglAvailable() {
    try {
      const gl = document.createElement("canvas").getContext("webgl2");
      if (!gl) return false;
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      return !/swiftshader|llvmpipe|software|softpipe/i.test(renderer);
    } catch {
      return false;
    }
  }
  var style = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "background-color": "data(color)",
        shape: "data(shape)",
        width: 22,
        height: 22,
        "font-size": 10,
        color: "#1d2430",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-max-width": 120,
        "text-wrap": "ellipsis",
        "min-zoomed-font-size": 7
      }
    },
    { selector: "node[kind = 'Customer']", style: { width: 30, height: 30 } },
    { selector: "node.root", style: { width: 40, height: 40, "border-width": 3, "border-color": "#f0a500" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#14233a" } },
    { selector: "node.path", style: { "border-width": 4, "border-color": "#f0a500" } },
    {
      selector: "edge",
      style: {
        width: 1.2,
        "line-color": "#aab2bf",
        "target-arrow-color": "#aab2bf",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.7,
        "curve-style": "bezier",
        "font-size": 8,
        color: "#5b6472",
        "text-rotation": "autorotate",
        "min-zoomed-font-size": 9
      }
    },
    // In a big view, people and signals unlabelled but when selected, under
    // the pointer or on a path.
    { selector: "node.quiet", style: { label: "" } },
    { selector: "node.quiet:selected, node.quiet.hover, node.quiet.path", style: { label: "data(label)" } },
    // Edge labels only while the view is small (measuring thousands of
    // labels is most of a large draw), and on links through signals.
    { selector: "edge.labelled, edge[via = 1], edge:selected, edge.path", style: { label: "data(label)" } },
    { selector: "edge[via = 1]", style: { "line-style": "dashed", "target-arrow-shape": "none" } },
    // A big view's edges straight, without arrows: the cheapest to draw.
    { selector: "edge.quiet", style: { "curve-style": "haystack", "target-arrow-shape": "none", "haystack-radius": 0 } },
    { selector: "edge.path", style: { width: 3, "line-color": "#f0a500", "target-arrow-color": "#f0a500" } }
  ];
  async function explorerPage(main2) {
    document.title = `${t("explore")} · ValueGraph`;
    const params = new URLSearchParams(location.search);
    const id = params.get("id") || "";
    const q = h("input", { id: "explore-q", name: "q", type: "search", autocomplete: "off", value: params.get("q") || "" });
    const hits = h("ul", { class: "hits" });
    const form = h(
      "form",
      { class: "filters", role: "search" },
      h("div", { class: "field grow" }, h("label", { for: "explore-q" }, t("exploreSearch")), q),
      h("button", { type: "submit" }, t("exploreGo"))
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = q.value.trim();
      if (!text) return;
      hits.replaceChildren(h("li", { class: "muted" }, t("loading")));
      try {
        const data2 = await gql(exploreSearchQuery, { text });
        hits.replaceChildren(
          ...data2.search.length ? data2.search.map(
            (x) => h("li", {}, h("a", { href: `/explore?id=${encodeURIComponent(x.id)}`, "data-link": true }, x.name), " ", h("span", { class: "muted" }, e(x.kind)))
          ) : [h("li", { class: "muted" }, t("noHits"))]
        );
      } catch (err) {
        showError(hits, err);
      }
    });
    const heading = h("h1", { tabindex: "-1" }, t("explore"));
    if (!id) {
      mount(main2, heading, h("p", {}, t("exploreIntro")), form, hits);
      q.focus();
      return;
    }
    const count = h("p", { class: "muted", id: "graph-count", role: "status" }, t("loading"));
    const canvas = h("div", { id: "cy", class: "graph", role: "img", "aria-label": t("explore") });
    const details = h("aside", { class: "node-details", "aria-live": "polite" });
    mount(main2, heading, form, hits, count, h("div", { class: "explorer" }, canvas, details));
    main2.classList.add("wide");
    let cytoscape, data;
    try {
      [cytoscape, data] = await Promise.all([loadCytoscape(), gql(neighbourhoodQuery, { id, depth: 2, types: START_TYPES, first: START_FIRST })]);
    } catch (err) {
      return showError(main2, err);
    }
    const cy = cytoscape({
      container: canvas,
      style,
      elements: [],
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      // WebGL where the browser has it on a GPU (?webgl=0 draws on a 2D
      // canvas, ?webgl=1 uses WebGL whatever renders it).
      webgl: params.get("webgl") === "1" || params.get("webgl") !== "0" && webglAvailable(),
      hideEdgesOnViewport: true
    });
    const state = { cy, rootId: data.neighbourhood.root.id, pathFrom: null, shown: {} };
    const explorer = {
      cy,
      draw: (g, aroundId) => draw(state, g, aroundId),
      // The last expansion's time in the API, adding, and laying out (ms).
      timings: null
    };
    window.valuegraphExplorer = explorer;
    const tally = () => {
      count.textContent = t("nodes", cy.nodes().length, cy.edges().length);
      canvas.dataset.nodes = String(cy.nodes().length);
    };
    draw(state, data.neighbourhood, null);
    cy.getElementById(state.rootId).addClass("root");
    relayout(cy, true);
    tally();
    if (data.neighbourhood.truncated) count.textContent += t("truncated");
    const select = (node) => {
      cy.elements().unselect();
      node.select();
      showDetails(details, state, node, { tally, recenter: (nid) => navigate(`/explore?id=${encodeURIComponent(nid)}`) });
    };
    cy.on("tap", "node", (ev) => select(ev.target));
    cy.on("mouseover", "node.quiet", (ev) => ev.target.addClass("hover"));
    cy.on("mouseout", "node.quiet", (ev) => ev.target.removeClass("hover"));
    const root = cy.getElementById(state.rootId);
    showDetails(details, state, root, { tally, recenter: (nid) => navigate(`/explore?id=${encodeURIComponent(nid)}`), counts: data.neighbourCounts });
    root.select();
    announce(t("nodes", cy.nodes().length, cy.edges().length));
  }
  function nodeData(n) {
    const k = KINDS[n.kind] || KINDS.Signal;
    return { id: n.id, label: n.name || n.id, kind: n.kind, name: n.name || "", color: k.color, shape: k.shape };
  }
  function edgeData(x) {
    const via = x.type.startsWith("VIA_");
    return {
      id: `${x.from}\0${x.type}\0${x.to}`,
      source: x.from,
      target: x.to,
      type: x.type,
      via: via ? 1 : 0,
      label: via ? `${x.type.slice(4).toLowerCase()} ×${x.count}` : x.type.toLowerCase().replace(/_/g, " ")
    };
  }
  function draw(state, g, aroundId) {
    const { cy } = state;
    const around = aroundId ? cy.getElementById(aroundId) : null;
    const center = around && around.nonempty() ? around.position() : { x: 0, y: 0 };
    const fresh = g.nodes.filter((n) => cy.getElementById(n.id).empty());
    const big = cy.nodes().length + fresh.length > LABELLED;
    const eles = [];
    let placed = 0;
    for (let ring = 1; placed < fresh.length; ring++) {
      const radius = 70 + ring * 55;
      const onRing = Math.min(fresh.length - placed, Math.max(8, Math.floor(2 * Math.PI * radius / 40)));
      for (let i = 0; i < onRing; i++) {
        const angle = 2 * Math.PI * i / onRing + ring * 0.3;
        const n = fresh[placed++];
        eles.push({
          group: "nodes",
          data: nodeData(n),
          classes: big && QUIET.has(n.kind) ? "quiet" : void 0,
          position: { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) }
        });
      }
    }
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const x of g.edges) {
      const known = (i) => ids.has(i) || cy.getElementById(i).nonempty();
      if (!known(x.from) || !known(x.to)) continue;
      const d = edgeData(x);
      if (cy.getElementById(d.id).empty()) eles.push({ group: "edges", data: d });
    }
    cy.batch(() => {
      cy.add(eles);
      if (!big) cy.edges().addClass("labelled");
      else {
        cy.edges(".labelled").removeClass("labelled");
        cy.edges().not(".quiet").addClass("quiet");
        cy.nodes().filter((n) => QUIET.has(n.data("kind")) && !n.hasClass("quiet")).addClass("quiet");
      }
    });
    return fresh.length;
  }
  function relayout(cy, fresh, around) {
    if (cy.nodes().length <= LABELLED) {
      cy.layout({
        name: "cose",
        animate: false,
        randomize: fresh,
        nodeRepulsion: () => 9e3,
        idealEdgeLength: () => 70,
        numIter: fresh ? 600 : 100,
        initialTemp: fresh ? 1e3 : 200,
        fit: false
      }).run();
      cy.fit(void 0, 30);
    } else if (around) {
      cy.animate({ fit: { eles: around.closedNeighborhood(), padding: 40 }, duration: 200 });
    }
  }
  async function showDetails(panel, state, node, { tally, recenter, counts }) {
    const { cy } = state;
    const id = node.id();
    const kind = node.data("kind");
    const expandBox = h("div", { class: "expand" }, h("p", { class: "muted" }, t("loading")));
    const info = h("div", { class: "info" });
    const pathBox = h("div", { class: "paths" });
    mount(
      panel,
      h("h2", {}, node.data("name") || id),
      h("p", { class: "muted" }, `${e(kind)} · ${id}`),
      info,
      h("h3", {}, t("expand")),
      expandBox,
      pathBox,
      id !== state.rootId ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => recenter(id) }, t("recenter"))) : null
    );
    const drawPathButtons = () => {
      mount(
        pathBox,
        h("button", { type: "button", class: "secondary", onclick: () => (state.pathFrom = { id, name: node.data("name") || id }, drawPathButtons()) }, t("pathFrom")),
        state.pathFrom && state.pathFrom.id !== id ? h("button", { type: "button", class: "secondary", onclick: () => showPaths(state, state.pathFrom.id, id, pathBox, tally) }, t("pathTo", state.pathFrom.name)) : null
      );
    };
    drawPathButtons();
    try {
      if (!counts) counts = (await gql(neighbourCountsQuery, { id })).neighbourCounts;
    } catch (err) {
      return showError(expandBox, err);
    }
    const shownOf = (k) => state.shown[`${id}\0${k}`] || 0;
    const buttons = counts.map((c) => {
      const b = h("button", { type: "button", class: "secondary", "data-kind": c.kind });
      const label = () => {
        const visible = node.neighborhood(`node[kind = '${c.kind}']`).length;
        b.textContent = `${t("kind" + c.kind)} (${c.count})`;
        if (visible >= c.count || shownOf(c.kind) >= c.count) {
          b.disabled = true;
          b.textContent += ` · ${t("allShown")}`;
        } else if (shownOf(c.kind) > 0) b.textContent = `${t("kind" + c.kind)}: ${t("expandMore", Math.min(PAGE3, c.count - shownOf(c.kind)))} (${c.count})`;
      };
      label();
      b.addEventListener("click", async () => {
        b.disabled = true;
        try {
          const want = Math.min(999, shownOf(c.kind) + PAGE3);
          const t0 = performance.now();
          const data = await gql(neighbourhoodQuery, { id, depth: 1, types: [KINDS[c.kind].api], first: want + 1 });
          const t1 = performance.now();
          const got = data.neighbourhood.nodes.length - 1;
          state.shown[`${id}\0${c.kind}`] = got < want || want === 999 ? c.count : want;
          const added = draw(state, data.neighbourhood, id);
          const t2 = performance.now();
          tally();
          announce(t("nodes", cy.nodes().length, cy.edges().length));
          b.disabled = false;
          label();
          if (added) relayout(cy, false, node);
          if (window.valuegraphExplorer) window.valuegraphExplorer.timings = { api: t1 - t0, add: t2 - t1, layout: performance.now() - t2 };
        } catch (err) {
          b.disabled = false;
          showError(expandBox, err);
        }
      });
      return b;
    });
    const through = kind === "Customer" || kind === "Competitor" || kind === "Need" ? h(
      "button",
      {
        type: "button",
        class: "secondary",
        "data-kind": "through",
        onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            const data = await gql(neighbourhoodQuery, { id, depth: 2, types: ["CUSTOMER", "COMPETITOR", "NEED", "PERSON"], first: 200 });
            if (draw(state, data.neighbourhood, id)) relayout(cy, false, node);
            tally();
          } catch (err) {
            showError(expandBox, err);
          }
          ev.target.disabled = false;
        }
      },
      t("throughSignals")
    ) : null;
    mount(expandBox, buttons, through);
    try {
      info.replaceChildren(...await nodeInfo(state, node));
    } catch (err) {
      showError(info, err);
    }
  }
  async function nodeInfo(state, node) {
    const id = node.id();
    switch (node.data("kind")) {
      case "Customer": {
        const c = (await gql(nodeCustomerQuery, { id })).customer;
        if (!c) return [];
        return [
          h(
            "dl",
            { class: "facts" },
            fact2(t("stage"), e(c.stage)),
            fact2(t("tier"), e(c.tier)),
            fact2(t("region"), c.region || "—"),
            fact2(t("owner"), c.owner ? c.owner.name || c.owner.id : t("unassigned")),
            fact2(t("lastSignal"), `${date(c.lastSignalAt)} (${c.signalCount} ${t("signals")})`)
          ),
          h("p", {}, h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, t("openBrief")))
        ];
      }
      case "Person": {
        const at = node.connectedEdges("[type = 'WORKS_AT']").targets().filter((n) => n.data("kind") === "Customer");
        if (at.empty()) return [];
        const c = (await gql(nodeCustomerQuery, { id: at[0].id() })).customer;
        const p = c && c.people.find((x) => x.id === id);
        if (!p) return [];
        return [
          h("p", {}, [p.title, p.role ? e(p.role) : null].filter(Boolean).join(" · ") || "—"),
          h("p", { class: "muted" }, `${t("worksAt")} ${c.name}${p.until ? ` (→ ${date(p.until)})` : ""}`),
          p.phone || p.email ? h("p", { class: "contact" }, [p.phone, p.email].filter(Boolean).join(" · ")) : h("p", { class: "muted contact-hidden" }, t("contactHidden"))
        ];
      }
      case "Competitor":
      case "Need": {
        const isK = node.data("kind") === "Competitor";
        const data = await gql(isK ? nodeCompetitorQuery : nodeNeedQuery, { id });
        const list = isK ? data.competitorFootprint : data.customersSharingNeed;
        return [
          h("h3", {}, t("footprint")),
          h(
            "ul",
            {},
            list.map(
              (x) => h(
                "li",
                {},
                h("a", { href: `/explore?id=${encodeURIComponent(x.customer.id)}`, "data-link": true }, x.customer.name),
                ` — ${x.signals} ${t("signals")}, ${date(x.lastSeen)}`,
                x.won ? ` · ${t("wonTender")}` : ""
              )
            )
          )
        ];
      }
      case "Signal": {
        const s3 = (await gql(nodeSignalQuery, { id })).signal;
        if (!s3) return [];
        const url = s3.url && safeURL(s3.url);
        return [
          h("p", {}, h("time", { datetime: s3.occurredAt }, date(s3.occurredAt)), " ", url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, s3.title || e(s3.kind)) : s3.title || e(s3.kind)),
          h("p", { class: "muted" }, `${e(s3.kind)} · ${s3.source} · `, h("span", { class: `trust trust-${s3.trust}` }, e(s3.trust)))
        ];
      }
      default:
        return [];
    }
  }
  async function showPaths(state, from, to, box, tally) {
    const { cy } = state;
    cy.elements().removeClass("path");
    let data;
    try {
      data = await gql(pathsQuery, { from, to });
    } catch (err) {
      return showError(box, err);
    }
    if (!data.paths.length) {
      box.appendChild(h("p", { class: "muted" }, t("noPath")));
      return;
    }
    for (const p of data.paths) {
      draw(state, { nodes: p.nodes, edges: p.edges }, from);
      for (const n of p.nodes) cy.getElementById(n.id).addClass("path");
      for (const x of p.edges) cy.getElementById(edgeData(x).id).addClass("path");
    }
    relayout(cy, false);
    tally();
  }
  function fact2(term, value) {
    return h("div", {}, h("dt", {}, term), h("dd", {}, value));
  }

  // src/reviews.js
  addWords({
    reviews: ["实体复核", "Reviews"],
    reviewsIntro: [
      "导入时无法确定归属的名称，等待人工判断：合并到某个候选客户，或保持独立。",
      "Names ingest could not tie to one organisation, waiting for a person: merge into a candidate, or keep apart."
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
    resolved: ["已处理：{0}", "Done: {0}"]
  });
  var STATUSES = ["OPEN", "ACCEPTED", "REJECTED"];
  async function reviewsPage(main2) {
    document.title = `${t("reviews")} · ValueGraph`;
    const status2 = new URLSearchParams(location.search).get("status") || "OPEN";
    const tabs = h(
      "p",
      { class: "tabs", role: "group" },
      STATUSES.map((s3) => h("a", { href: `/reviews?status=${s3}`, "data-link": true, "aria-current": s3 === status2 ? "page" : null }, t(s3)))
    );
    const list = h("ul", { class: "reviews", "aria-busy": "true" });
    mount(main2, h("h1", { tabindex: "-1" }, t("reviews")), h("p", { class: "muted" }, t("reviewsIntro")), tabs, list);
    let data;
    try {
      data = await gql(reviewQueueQuery, { status: status2, first: 100 });
    } catch (err) {
      return showError(list, err);
    }
    list.removeAttribute("aria-busy");
    if (!data.reviewQueue.length) {
      list.appendChild(h("li", { class: "muted" }, t("noReviews")));
      return;
    }
    for (const r of data.reviewQueue) list.appendChild(review(r, status2 === "OPEN"));
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
        h("a", { href: `/explore?id=${encodeURIComponent(r.provisionalId)}`, "data-link": true }, t("provisional"))
      ),
      h(
        "table",
        { class: "data-table" },
        h("thead", {}, h("tr", {}, h("th", {}, t("candidates")), h("th", {}, t("score")), open ? h("th", {}, "") : null)),
        h(
          "tbody",
          {},
          r.candidates.map(
            (c) => h(
              "tr",
              {},
              h("td", {}, h("a", { href: `/explore?id=${encodeURIComponent(c.id)}`, "data-link": true }, c.name), " ", h("span", { class: "muted" }, e(c.kind))),
              h("td", { class: "num" }, c.score.toFixed(2)),
              open ? h("td", {}, h("button", { type: "button", class: "secondary merge", onclick: () => decide({ candidateId: c.id }, t("mergeInto", c.name)) }, t("mergeInto", c.name))) : null
            )
          )
        )
      ),
      open ? h("p", {}, h("button", { type: "button", class: "secondary keep", onclick: () => decide({ reject: true }, t("keepApart")) }, t("keepApart"))) : h("p", { class: "muted" }, t(r.status)),
      msg
    );
    return li;
  }

  // src/models.js
  addWords({
    models: ["模型版本", "Models"],
    modelsIntro: [
      "每个版本在留出的标注上评估；只有不比前一版差时才会自动启用。启用或回滚会记录审计，并让后台重新评分所有客户。",
      "Each version is judged on held-out labels and promoted only when no worse than the one before. Activating or rolling back is audited and has the worker rescore every customer."
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
    retired: ["已停用", "retired"]
  });
  var MIN_HELD_OUT = 30;
  async function modelsPage(main2, viewer2) {
    document.title = `${t("models")} · ValueGraph`;
    const admin = viewer2 && viewer2.role === "ADMIN";
    const msg = h("p", { role: "status", class: "muted" });
    const table = h("div", { "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
    mount(
      main2,
      h("h1", { tabindex: "-1" }, t("models")),
      h("p", { class: "muted" }, t("modelsIntro")),
      admin ? h("p", {}, confirmButton(t("rollback"), t("confirmRollback"), "rollback", () => change(rollbackModelMutation, {}, "rollbackModel"))) : null,
      msg,
      table
    );
    async function change(mutation, vars, field) {
      try {
        const data = await gql(mutation, vars);
        msg.textContent = t("nowActive", data[field].version);
        announce(msg.textContent);
        await load2();
      } catch (err) {
        showError(msg, err);
      }
    }
    async function load2() {
      let data;
      try {
        data = await gql(modelVersionsQuery);
      } catch (err) {
        return showError(table, err);
      }
      table.removeAttribute("aria-busy");
      const pair = (x, before, digits) => x === null || x === void 0 ? "—" : `${x.toFixed(digits)}${before === null || before === void 0 ? "" : ` (${before.toFixed(digits)})`}`;
      mount(
        table,
        h(
          "table",
          { class: "data-table models" },
          h(
            "thead",
            {},
            h("tr", {}, [t("version"), t("status"), t("trained"), t("labels"), t("heldOut"), t("accuracy"), t("logLoss"), ""].map((x) => h("th", {}, x)))
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
                  admin && v.status !== "active" ? confirmButton(t("activate"), t("confirmActivate", v.version), "activate", () => change(activateModelMutation, { version: v.version }, "activateModel")) : null
                )
              );
            })
          )
        )
      );
    }
    await load2();
  }
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

  // src/drift.js
  addWords({
    drift: ["分级漂移", "Drift"],
    driftIntro: [
      "所选时间之前与现在相比，分级或价值阶段发生变化的客户，变化最大的在前，并列出推动变化的因素。",
      "Customers whose tier or stage moved between their last scoring before the chosen time and now, biggest moves first, with the factors that moved them."
    ],
    driftSince: ["时间范围", "Since"],
    driftDays: ["近 {0} 天", "{0} days"],
    driftLevels: ["至少变化", "Moved at least"],
    driftLevel: ["{0} 级", "{0} level(s)"],
    driftNone: ["这段时间没有客户的分级或阶段发生变化。", "No customer's tier or stage moved in this time."],
    driftCount: ["{0} 个客户发生变化：{1} 个上升，{2} 个下降", "Customers moved: {0} ({1} up, {2} down)"],
    driftCustomer: ["客户", "Customer"],
    driftCauses: ["原因", "Why"],
    driftUp: ["上升 {0} 级", "up {0}"],
    driftDown: ["下降 {0} 级", "down {0}"],
    driftSame: ["未变", "unchanged"],
    causeTier: ["分级", "tier"],
    causeStage: ["阶段", "stage"]
  });
  var DAYS = [7, 30, 90];
  async function driftPage(main2) {
    document.title = `${t("drift")} · ValueGraph`;
    const params = new URLSearchParams(location.search);
    const days = DAYS.includes(Number(params.get("days"))) ? Number(params.get("days")) : 30;
    const levels = params.get("levels") === "2" ? 2 : 1;
    const href = (d, l) => `/drift?days=${d}${l > 1 ? `&levels=${l}` : ""}`;
    const since = new Date(Date.now() - days * 24 * 3600 * 1e3);
    const picker = h(
      "div",
      { class: "drift-picker" },
      h(
        "p",
        { class: "tabs", role: "group", "aria-label": t("driftSince") },
        h("span", { class: "muted" }, t("driftSince")),
        DAYS.map((d) => h("a", { href: href(d, levels), "data-link": true, "data-days": d, "aria-current": d === days ? "page" : null }, t("driftDays", d)))
      ),
      h(
        "p",
        { class: "tabs", role: "group", "aria-label": t("driftLevels") },
        h("span", { class: "muted" }, t("driftLevels")),
        [1, 2].map((l) => h("a", { href: href(days, l), "data-link": true, "aria-current": l === levels ? "page" : null }, t("driftLevel", l)))
      )
    );
    const body = h("div", { class: "drift", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
    const heading = h("h1", { tabindex: "-1" }, t("drift"));
    mount(main2, heading, h("p", { class: "muted" }, t("driftIntro")), picker, body);
    let data;
    try {
      data = await gql(driftQuery, { since: since.toISOString(), minLevels: levels });
    } catch (err) {
      return showError(body, err);
    }
    body.removeAttribute("aria-busy");
    const rows = data.drift;
    if (!rows.length) {
      mount(body, h("p", { class: "muted drift-none" }, t("driftNone")));
      announce(t("driftNone"));
      return;
    }
    const dir = (d) => Math.abs(d.tierLevels) >= Math.abs(d.stageLevels) ? Math.sign(d.tierLevels) : Math.sign(d.stageLevels);
    const up = rows.filter((d) => dir(d) > 0).length;
    const summary = t("driftCount", rows.length, up, rows.length - up);
    mount(
      body,
      h("p", { class: "drift-summary", role: "status" }, summary),
      h(
        "table",
        { class: "data-table drift-table" },
        h("thead", {}, h("tr", {}, [t("driftCustomer"), t("tier"), t("stage"), t("driftCauses")].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, rows.map(row2))
      )
    );
    announce(summary);
  }
  function row2(d) {
    const c = d.customer;
    return h(
      "tr",
      { class: "drift-row", "data-id": c.id },
      h("td", {}, h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, c.name), c.region ? h("div", { class: "muted" }, c.region) : null),
      h("td", {}, move(e(d.before.tier), e(d.after.tier), d.tierLevels), h("div", { class: "muted" }, `${d.before.tierScore.toFixed(2)} → ${d.after.tierScore.toFixed(2)}`)),
      h("td", {}, move(e(d.before.stage), e(d.after.stage), d.stageLevels)),
      h(
        "td",
        {},
        h(
          "ul",
          { class: "reasons causes" },
          d.causes.map(
            (x) => h(
              "li",
              { class: `cause ${x.change < 0 ? "against" : "for"}`, "data-factor": x.factor },
              h("span", { class: "contribution", title: t("contribution") }, (x.change >= 0 ? "+" : "−") + Math.abs(x.change).toFixed(2)),
              " ",
              h("span", { class: "badge" }, t(x.score === "tier" ? "causeTier" : "causeStage")),
              " ",
              pickLang(x.zh, x.en)
            )
          )
        )
      )
    );
  }
  function move(before, after, levels) {
    if (!levels) return h("span", { class: "move same" }, before, " ", h("span", { class: "muted" }, `(${t("driftSame")})`));
    const up = levels > 0;
    const words2 = t(up ? "driftUp" : "driftDown", Math.abs(levels));
    return h(
      "span",
      { class: `move ${up ? "up" : "down"}`, "data-levels": levels },
      `${before} → ${after} `,
      h("span", { class: "arrow", "aria-label": words2, title: words2 }, `${up ? "▲" : "▼"}${Math.abs(levels)}`)
    );
  }

  // src/sources.js
  addWords({
    sources: ["数据来源", "Sources"],
    sourcesIntro: [
      "信号的来源、可信等级，以及爬虫来源最近一次运行的情况。选择器失效的来源会被标出。",
      "Where signals come from, each with its trust level, and for crawled sources how the last run went. A source whose selectors stopped matching is flagged."
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
    sourcesCount: ["{0} 个来源，{1} 个需检查", "Sources: {0}; needing a look: {1}"]
  });
  async function sourcesPage(main2, viewer2) {
    document.title = `${t("sources")} · ValueGraph`;
    const admin = viewer2 && viewer2.role === "ADMIN";
    const body = h("div", { class: "sources", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
    mount(main2, h("h1", { tabindex: "-1" }, t("sources")), h("p", { class: "muted" }, t("sourcesIntro")), body);
    main2.classList.add("wide");
    let data;
    try {
      data = await gql(sourcesQuery);
    } catch (err) {
      return showError(body, err);
    }
    body.removeAttribute("aria-busy");
    const list = data.sources;
    if (!list.length) return mount(body, h("p", { class: "muted" }, t("noSources")));
    const flagged = list.filter((s3) => s3.flagged).length;
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
              [t("source"), t("trustLevel"), t("crawled"), t("lastRun"), t("pages"), t("records"), t("errors"), t("flagged"), admin ? "" : null].filter((x) => x !== null).map((x) => h("th", { scope: "col" }, x))
            )
          ),
          h("tbody", {}, sorted.map((s3) => row3(s3, admin)))
        )
      )
    );
    announce(t("sourcesCount", list.length, flagged));
  }
  function row3(s3, admin) {
    const msg = h("span", { class: "crawl-answer", role: "status" });
    const crawl = async (ev) => {
      const b = ev.currentTarget;
      b.disabled = true;
      msg.classList.remove("error");
      try {
        const data = await gql(runCrawlMutation, { source: s3.id });
        msg.textContent = data.runCrawl ? t("crawlQueued", s3.id) : t("crawlRefused", s3.id, "false");
      } catch (err) {
        if (err instanceof APIError && err.code === "UNAUTHENTICATED") return showError(msg, err);
        msg.classList.add("error");
        msg.textContent = t("crawlRefused", s3.id, `${err.message}${err.code ? ` (${err.code})` : ""}`);
      }
      b.disabled = false;
      announce(msg.textContent);
    };
    return h(
      "tr",
      { class: `source-row${s3.flagged ? " flagged" : ""}`, "data-id": s3.id },
      h("th", { scope: "row" }, s3.id),
      h("td", {}, h("span", { class: `trust ${s3.trust}` }, e(s3.trust))),
      h("td", {}, s3.crawled ? t("crawledYes") : t("crawledNo")),
      h("td", { class: "nowrap" }, s3.lastRunAt ? when(s3.lastRunAt) : h("span", { class: "muted" }, s3.crawled ? t("neverRun") : "—")),
      h("td", { class: "num" }, s3.crawled ? String(s3.pages) : "—"),
      h("td", { class: "num" }, s3.crawled ? String(s3.records) : "—"),
      h("td", { class: `num${s3.errors ? " error" : ""}` }, s3.crawled ? String(s3.errors) : "—"),
      h("td", {}, s3.flagged ? h("strong", { class: "flag" }, "⚠ ", s3.flagged) : h("span", { class: "muted" }, s3.crawled ? t("sourceOK") : "—")),
      admin ? h("td", {}, s3.crawled ? h("button", { type: "button", class: "secondary crawl", onclick: crawl }, t("crawlNow")) : null, " ", msg) : null
    );
  }
  function when(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    const p = (n) => String(n).padStart(2, "0");
    return h("time", { datetime: iso }, `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`);
  }

  // src/subscriptions.js
  addWords({
    subscriptionsIntro: [
      "订阅外部信号（招标、中标、海关、论坛……）：所填条件须全部满足，每项条件中任一值满足即可。新动态显示在首页。",
      "Follow external signals (tenders, awards, customs, forums…): every criterion given must match; within one, any value does. New matches show on the start page."
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
    noCustomerHit: ["没有找到客户。", "No customer found."]
  });
  var KINDS2 = ["TENDER", "AWARD", "PROCUREMENT_INTENT", "CUSTOMS", "FORUM_POST", "EXEC_CHANGE", "FUNDING", "COMPANY_CHANGE"];
  var TRUST = ["L2", "L3"];
  async function subscriptionsPage(main2) {
    document.title = `${t("subscriptions")} · ValueGraph`;
    const list = h("ul", { class: "subscriptions", "aria-busy": "true" });
    const formBox = h("section", { class: "card subscription-form" });
    mount(main2, h("h1", { tabindex: "-1" }, t("subscriptions")), h("p", { class: "muted" }, t("subscriptionsIntro")), list, formBox);
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
      for (const s3 of subs) list.appendChild(card(s3));
    };
    const drawForm = (editing) => mount(formBox, form(editing));
    function card(s3) {
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
          await gql(deleteSubscriptionMutation, { id: s3.id });
        } catch (err) {
          del.disabled = false;
          return showError(msg, err);
        }
        subs = subs.filter((x) => x.id !== s3.id);
        drawList();
        announce(t("deleted", s3.name));
      });
      del.addEventListener("blur", () => {
        armed = false;
        del.textContent = t("deleteSub");
        del.classList.remove("confirm");
      });
      const crit = (label, values, fmt = (v) => v) => values.length ? h("div", {}, h("dt", {}, label), h("dd", {}, values.map(fmt).join(" · "))) : null;
      return h(
        "li",
        { class: "subscription card", "data-id": s3.id },
        h("h2", {}, s3.name),
        h(
          "dl",
          { class: "facts" },
          crit(t("subKinds"), s3.kinds, e),
          crit(t("subIndustries"), s3.industries),
          crit(t("subRegions"), s3.regions),
          crit(t("subKeywords"), s3.keywords),
          crit(t("subCustomers"), s3.customerIds),
          crit(t("subTrust"), s3.trust, e),
          h("div", {}, h("dt", {}, t("created")), h("dd", {}, date(s3.createdAt)))
        ),
        h(
          "p",
          { class: "actions" },
          h("button", { type: "button", class: "secondary edit", onclick: () => {
            drawForm(s3);
            formBox.scrollIntoView();
          } }, t("edit")),
          del
        ),
        msg
      );
    }
    function form(editing) {
      const v = editing || { name: "", kinds: [], industries: [], regions: [], keywords: [], customerIds: [], trust: [] };
      const text = (id, label, value, hint) => h(
        "div",
        { class: "field" },
        h("label", { for: id }, label, hint ? h("span", { class: "muted" }, ` (${hint})`) : null),
        h("input", { id, name: id, type: "text", value, autocomplete: "off" })
      );
      const checks = (name, label, values, chosen) => h(
        "fieldset",
        { class: "checks" },
        h("legend", {}, label),
        values.map((x) => h("label", {}, h("input", { type: "checkbox", name, value: x, checked: chosen.includes(x) }), " ", e(x)))
      );
      const msg = h("p", { role: "alert", class: "error" });
      function customerFinder() {
        const hits = h("ul", { class: "hits" });
        const box = h("input", { id: "sub-find", type: "search", autocomplete: "off" });
        let timer;
        box.addEventListener("input", () => {
          clearTimeout(timer);
          const text2 = box.value.trim();
          if (!text2) return hits.replaceChildren();
          timer = setTimeout(async () => {
            let found;
            try {
              found = (await gql(exploreSearchQuery, { text: text2 })).search.filter((x) => x.kind === "CUSTOMER");
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
        checks("kinds", t("subKinds"), KINDS2, v.kinds),
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
          editing ? h("button", { type: "button", class: "secondary", onclick: () => drawForm(null) }, t("cancel")) : null
        )
      );
      f.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const split = (id) => f.querySelector("#" + id).value.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean);
        const input = {
          name: f.querySelector("#sub-name").value,
          kinds: [...f.querySelectorAll('input[name="kinds"]:checked')].map((x) => x.value),
          industries: split("sub-industries"),
          regions: split("sub-regions"),
          keywords: split("sub-keywords"),
          customerIds: split("sub-customers"),
          trust: [...f.querySelectorAll('input[name="trust"]:checked')].map((x) => x.value)
        };
        const button = f.querySelector('button[type="submit"]');
        button.disabled = true;
        msg.textContent = "";
        let saved;
        try {
          saved = editing ? (await gql(updateSubscriptionMutation, { id: editing.id, input })).updateSubscription : (await gql(createSubscriptionMutation, { input })).createSubscription;
        } catch (err) {
          button.disabled = false;
          if (err instanceof APIError && err.code === "BAD_USER_INPUT") {
            msg.textContent = err.message;
            return;
          }
          return showError(msg, err);
        }
        subs = editing ? subs.map((x) => x.id === saved.id ? saved : x) : [...subs, saved];
        drawList();
        drawForm(null);
        announce(t("saved", saved.name));
      });
      return f;
    }
    drawForm(null);
    drawList();
  }

  // src/alerts.js
  var PAGE4 = 25;
  var KINDS3 = ["STAGE_CHANGED", "TIER_CHANGED", "RISK_CROSSED"];
  function alertsPage(main2, viewer2) {
    document.title = `${t("alerts")} · ValueGraph`;
    const manager = viewer2 && viewer2.role !== "REP";
    const params = new URLSearchParams(location.search);
    const kind = KINDS3.includes(params.get("kind")) ? params.get("kind") : "";
    const followed = ["yes", "no"].includes(params.get("followed")) ? params.get("followed") : "";
    const owner = manager ? params.get("owner") || "" : "";
    const select = (id, label, options, value) => h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("select", { id, name: id }, h("option", { value: "" }, t("all")), options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)))
    );
    const ownerSelect = manager ? select("owner", t("owner"), owner ? [[owner, owner]] : [], owner) : null;
    const form = h(
      "form",
      { class: "filters", role: "search" },
      select("kind", t("alertKind"), KINDS3.map((k) => [k, e(k)]), kind),
      select("followed", t("followUp"), [["yes", t("followed")], ["no", t("unfollowed")]], followed),
      ownerSelect
    );
    form.addEventListener("change", () => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v)) next.set(k, String(v));
      const s3 = next.toString();
      const focused = document.activeElement && document.activeElement.id;
      navigate(s3 ? `/alerts?${s3}` : "/alerts");
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    });
    form.addEventListener("submit", (ev) => ev.preventDefault());
    const summary = manager ? h("section", { class: "alert-summary", "aria-busy": "true" }) : null;
    const list = h("ul", { class: "alerts", "aria-busy": "true" });
    const footer = h("div", { class: "more" });
    const count = h("p", { class: "muted", id: "count" });
    mount(main2, h("h1", { tabindex: "-1" }, t("alerts")), h("p", { class: "muted" }, t("alertsIntro")), summary, form, count, list, footer);
    if (manager) drawSummary(summary, ownerSelect.querySelector("select"), owner);
    const filter = {};
    if (kind) filter.kinds = [kind];
    if (followed) filter.followed = followed === "yes";
    if (owner) filter.owner = owner;
    pagedList({
      list,
      footer,
      count,
      fetchPage: async (after) => (await gql(alertsQuery, { filter, first: PAGE4, after })).alerts,
      row: row4,
      counted: (shown) => shown ? t("alertsShown", shown) : t("noAlerts")
    });
  }
  async function drawSummary(section2, ownerSelect, owner) {
    let data;
    try {
      data = await gql(alertSummaryQuery, {});
    } catch (err) {
      section2.removeAttribute("aria-busy");
      return showError(section2, err);
    }
    section2.removeAttribute("aria-busy");
    const rows = data.alertSummary;
    for (const o of rows) {
      if (o.owner && o.owner.id !== owner) ownerSelect.appendChild(h("option", { value: o.owner.id }, o.owner.name || o.owner.id));
      else if (o.owner) ownerSelect.querySelector(`option[value="${CSS.escape(o.owner.id)}"]`).textContent = o.owner.name || o.owner.id;
    }
    mount(
      section2,
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
            h("tr", {}, h("th", {}, t("owner")), h("th", { class: "num" }, t("raised")), h("th", { class: "num" }, t("followed")), h("th", { class: "num" }, t("unfollowed")), h("th", {}, t("lastAlert")))
          ),
          h(
            "tbody",
            {},
            rows.map(
              (o) => h(
                "tr",
                { "data-owner": o.owner ? o.owner.id : "", class: o.unfollowed > o.followed ? "mostly-unfollowed" : null },
                h("td", {}, o.owner ? h("a", { href: `/alerts?owner=${encodeURIComponent(o.owner.id)}`, "data-link": true }, o.owner.name || o.owner.id) : t("nobody")),
                h("td", { class: "num" }, String(o.raised)),
                h("td", { class: "num" }, String(o.followed)),
                h("td", { class: "num unfollowed-count" }, String(o.unfollowed)),
                h("td", {}, date(o.lastAt))
              )
            )
          )
        )
      )
    );
  }
  function what(a) {
    if (a.kind === "RISK_CROSSED") return `${t("riskOf", t(a.risk))}: ${percentOf(a.from)} → ${percentOf(a.to)}`;
    const label = a.kind === "STAGE_CHANGED" ? t("stage") : t("tier");
    return `${label}: ${e(a.from)} → ${e(a.to)}`;
  }
  function percentOf(s3) {
    const x = Number(s3);
    return Number.isFinite(x) ? `${Math.round(x * 100)}%` : s3;
  }
  function row4(a) {
    const fu = a.followUp;
    const brief = `/customers/${encodeURIComponent(a.customer.id)}`;
    return h(
      "li",
      { class: `alert card ${fu.followed ? "followed" : "unfollowed"}`, "data-id": a.id, "data-customer": a.customer.id },
      h("h2", {}, h("a", { href: brief, "data-link": true, class: "brief-link" }, a.customer.name), " ", h("span", { class: "badge" }, e(a.kind))),
      h(
        "dl",
        { class: "facts" },
        fact3(t("moved"), what(a)),
        fact3(t("raisedAt"), `${date(a.at)} ${String(a.at).slice(11, 16)}`),
        fact3(t("owner"), a.owner ? a.owner.name || a.owner.id : t("nobody")),
        fact3(
          t("followUp"),
          h("span", { class: "follow-up" }, fu.followed ? t("followedBy", e(fu.by), `${date(fu.at)} ${String(fu.at).slice(11, 16)}`) : t("notFollowed"))
        )
      ),
      a.causes.length ? h("p", { class: "causes" }, h("span", { class: "muted" }, `${t("causes")}: `), a.causes.map((c) => pickLang(c.zh, c.en)).join(lang() === "zh" ? "；" : "; ")) : null
    );
  }
  function fact3(term, value) {
    return h("div", {}, h("dt", {}, term), h("dd", {}, value));
  }

  // src/app.js
  var main = document.getElementById("main");
  var bar = document.getElementById("bar");
  var status = document.getElementById("status");
  var viewer = null;
  function announce(msg) {
    status.textContent = msg;
  }
  function navigate(path, { replace = false } = {}) {
    if (replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
    route();
  }
  function showError(el, err) {
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
      h("button", { type: "button", lang: "en", "aria-pressed": String(lang() === "en"), onclick: () => switchLang("en") }, "EN")
    );
    mount(
      bar,
      h("a", { class: "brand", href: "/", "data-link": true }, t("appName")),
      viewer ? h(
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
        h("a", { href: "/graphql" }, "GraphiQL")
      ) : null,
      h("span", { class: "spacer" }),
      viewer ? h("span", { class: "who" }, `${viewer.name} · ${e(viewer.role)}`) : null,
      langSwitch,
      viewer ? h("button", { type: "button", onclick: doSignOut }, t("signOut")) : null
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
  function signedIn(v, next) {
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
  document.addEventListener("click", (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest("a[data-link]") : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(a.getAttribute("href"));
  });
  window.addEventListener("popstate", route);
  route();
})();
