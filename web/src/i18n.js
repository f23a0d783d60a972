// The app's words in Chinese and English. The brief's own sentences (reasons,
// talking points) come from the API in both languages; this table holds the
// rest: labels, headings and the names of enum values.

const words = {
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
    "Alerts rescoring raised: a stage or tier moved, a risk crossed the threshold. Its owner follows one up by opening the brief, logging an activity or giving feedback after it.",
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
    "A flood of unfollowed alerts is a threshold set wrong, or alerts nobody reads.",
  ],
  lastAlert: ["最近预警", "Latest"],
  raisedAt: ["预警时间", "Raised at"],
  moved: ["变化", "What moved"],
  noAlerts: ["没有符合条件的预警。", "No alert matches."],
  alertsShown: ["已显示 {0} 条预警", "Alerts shown: {0}"],
  nobody: ["无负责人", "nobody"],
  openBrief: ["打开简报", "Open the brief"],
  causes: ["原因", "Why"],
  riskOf: ["{0}风险", "{0} risk"],
};

const enums = {
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
  FEEDBACK: ["提交了反馈", "gave feedback"],
};

export const STAGES = ["DORMANT", "EXPLORING", "PLANNING", "SELECTING", "ADOPTING", "EXPANDING"];
export const TIERS = ["A_PLUS", "A", "B", "C"];

let current = pick();

function pick() {
  try {
    const saved = localStorage.getItem("vg.lang");
    if (saved === "zh" || saved === "en") return saved;
  } catch {
    // storage may be off (private mode): fall back to the browser's language
  }
  return (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The current language: "zh" or "en". */
export function lang() {
  return current;
}

export function setLang(l) {
  current = l === "en" ? "en" : "zh";
  try {
    localStorage.setItem("vg.lang", current);
  } catch {
    // not kept across visits then
  }
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
}

/** Adds a page's own words ({key: [zh, en]}) to the table. */
export function addWords(more) {
  Object.assign(words, more);
}

/** t("shown", 3): the word in the current language, {0}… filled in. */
export function t(key, ...args) {
  const w = words[key];
  let s = w ? w[current === "zh" ? 0 : 1] : key;
  args.forEach((a, i) => (s = s.replace(`{${i}}`, String(a))));
  return s;
}

/** The name of an enum value (stage, tier, trust level, role, signal kind). */
export function e(value) {
  if (value === null || value === undefined || value === "") return "—";
  const w = enums[value];
  return w ? w[current === "zh" ? 0 : 1] : String(value).replace(/_/g, " ");
}

/** One of two texts the API gives in both languages. */
export function pickLang(zh, en) {
  return current === "zh" ? zh || en : en || zh;
}

export function date(iso) {
  return iso ? String(iso).slice(0, 10) : "—";
}

export function percent(x) {
  return x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`;
}
