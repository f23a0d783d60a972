// The relationship explorer: start from a customer, competitor or person
// (search, or ?id= from a link), see its neighbourhood (people, competitors
// and needs through its signals, other customers), click a node to see it on
// the side with its neighbours counted by kind, and expand one kind at a time,
// most recent first, a page at a time: a big buyer's thousands of signals
// never come all at once. Paths between two nodes are drawn on request.
// The graph is drawn by cytoscape.js (dist/cytoscape.js, loaded on the first
// visit to this page); every datum comes from the GraphQL API, so contact
// data shows exactly as the API gives it to the caller.
import { gql } from "./api.js";
import {
  neighbourhoodQuery,
  neighbourCountsQuery,
  exploreSearchQuery,
  nodeCustomerQuery,
  nodeCompetitorQuery,
  nodeNeedQuery,
  nodeSignalQuery,
  pathsQuery,
} from "./queries.js";
import { h, mount, safeURL } from "./dom.js";
import { t, e, date, addWords } from "./i18n.js";
import { showError, navigate, announce } from "./app.js";

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
  kindProduct: ["产品", "Products"],
});

// How each kind of node looks, and its NodeKind in the API.
const KINDS = {
  Customer: { api: "CUSTOMER", color: "#0b5cad", shape: "round-rectangle" },
  Person: { api: "PERSON", color: "#1c7c3c", shape: "ellipse" },
  Competitor: { api: "COMPETITOR", color: "#b3261e", shape: "diamond" },
  Need: { api: "NEED", color: "#b86e00", shape: "hexagon" },
  Signal: { api: "SIGNAL", color: "#7a8494", shape: "ellipse" },
  Rep: { api: "REP", color: "#6b3fa0", shape: "round-triangle" },
  Offering: { api: "OFFERING", color: "#00807a", shape: "round-tag" },
  Product: { api: "PRODUCT", color: "#8a5a44", shape: "barrel" },
};

// The first view: everything but signals, two hops out, so a customer's
// competitors and needs come through its signals (VIA_SIGNAL edges).
const START_TYPES = ["CUSTOMER", "PERSON", "COMPETITOR", "NEED", "REP", "OFFERING", "PRODUCT"];
const START_FIRST = 150;
// One expansion: a page of one kind, most recent first.
const PAGE = 50;
// Edges are labelled while the view holds at most this many nodes; past
// it, people and signals (the bulk of a big view) are labelled only when
// selected or under the pointer: measuring and texturing thousands of
// labels was most of the time a 5,000-node view took to draw.
const LABELLED = 300;
const QUIET = new Set(["Signal", "Person"]);

let cytoscapeModule = null;
function loadCytoscape() {
  // Kept outside the app's bundle: fetched on the first visit to the explorer.
  cytoscapeModule ||= import("/cytoscape.js").then((m) => m.default);
  return cytoscapeModule;
}

/**
 * Whether to draw with WebGL: only where the browser renders it on a GPU.
 * Rendered in software (SwiftShader, llvmpipe: a VM or a remote desktop
 * without a GPU), WebGL panned 5,000 nodes at about one frame a second
 * where the 2D canvas kept 60 (docs/BENCHMARKS.md).
 */
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

const style = [
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
      "min-zoomed-font-size": 7,
    },
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
      "min-zoomed-font-size": 9,
    },
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
  { selector: "edge.path", style: { width: 3, "line-color": "#f0a500", "target-arrow-color": "#f0a500" } },
];

/**
 * The explorer of the page, for the browser test and the console:
 * window.valuegraphExplorer.cy is the cytoscape instance, .draw(subgraph,
 * aroundId) adds nodes and edges as an expansion does.
 */
export async function explorerPage(main) {
  document.title = `${t("explore")} · ValueGraph`;
  const params = new URLSearchParams(location.search);
  const id = params.get("id") || "";

  const q = h("input", { id: "explore-q", name: "q", type: "search", autocomplete: "off", value: params.get("q") || "" });
  const hits = h("ul", { class: "hits" });
  const form = h(
    "form",
    { class: "filters", role: "search" },
    h("div", { class: "field grow" }, h("label", { for: "explore-q" }, t("exploreSearch")), q),
    h("button", { type: "submit" }, t("exploreGo")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = q.value.trim();
    if (!text) return;
    hits.replaceChildren(h("li", { class: "muted" }, t("loading")));
    try {
      const data = await gql(exploreSearchQuery, { text });
      hits.replaceChildren(
        ...(data.search.length
          ? data.search.map((x) =>
              h("li", {}, h("a", { href: `/explore?id=${encodeURIComponent(x.id)}`, "data-link": true }, x.name), " ", h("span", { class: "muted" }, e(x.kind))),
            )
          : [h("li", { class: "muted" }, t("noHits"))]),
      );
    } catch (err) {
      showError(hits, err);
    }
  });

  const heading = h("h1", { tabindex: "-1" }, t("explore"));
  if (!id) {
    mount(main, heading, h("p", {}, t("exploreIntro")), form, hits);
    q.focus();
    return;
  }
  const count = h("p", { class: "muted", id: "graph-count", role: "status" }, t("loading"));
  const canvas = h("div", { id: "cy", class: "graph", role: "img", "aria-label": t("explore") });
  const details = h("aside", { class: "node-details", "aria-live": "polite" });
  mount(main, heading, form, hits, count, h("div", { class: "explorer" }, canvas, details));
  main.classList.add("wide");

  let cytoscape, data;
  try {
    [cytoscape, data] = await Promise.all([loadCytoscape(), gql(neighbourhoodQuery, { id, depth: 2, types: START_TYPES, first: START_FIRST })]);
  } catch (err) {
    return showError(main, err);
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
    webgl: params.get("webgl") === "1" || (params.get("webgl") !== "0" && webglAvailable()),
    hideEdgesOnViewport: true,
  });
  const state = { cy, rootId: data.neighbourhood.root.id, pathFrom: null, shown: {} };
  const explorer = {
    cy,
    draw: (g, aroundId) => draw(state, g, aroundId),
    // The last expansion's time in the API, adding, and laying out (ms).
    timings: null,
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
    id: `${x.from}\u0000${x.type}\u0000${x.to}`,
    source: x.from,
    target: x.to,
    type: x.type,
    via: via ? 1 : 0,
    label: via ? `${x.type.slice(4).toLowerCase()} ×${x.count}` : x.type.toLowerCase().replace(/_/g, " "),
  };
}

/**
 * Adds a subgraph's new nodes and edges. New nodes are placed on rings
 * around the node they were expanded from (or the root), nearest first, so
 * what was there stays where it was.
 */
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
    const onRing = Math.min(fresh.length - placed, Math.max(8, Math.floor((2 * Math.PI * radius) / 40)));
    for (let i = 0; i < onRing; i++) {
      const angle = (2 * Math.PI * i) / onRing + ring * 0.3;
      const n = fresh[placed++];
      eles.push({
        group: "nodes",
        data: nodeData(n),
        classes: big && QUIET.has(n.kind) ? "quiet" : undefined,
        position: { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) },
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
  // One batch: the style is worked out once for everything added.
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

/**
 * Lays the view out again while it is small (a force-directed layout from
 * where the nodes are, so the picture moves little), and fits it; a large
 * view keeps the rings new nodes were put on, and shows around the node.
 */
function relayout(cy, fresh, around) {
  if (cy.nodes().length <= LABELLED) {
    // After an expansion the nodes are mostly in place (the new ones on
    // rings round the expanded node): a short, cool run settles them, at a
    // third of the cost of a full one.
    cy.layout({
      name: "cose",
      animate: false,
      randomize: fresh,
      nodeRepulsion: () => 9000,
      idealEdgeLength: () => 70,
      numIter: fresh ? 600 : 100,
      initialTemp: fresh ? 1000 : 200,
      fit: false,
    }).run();
    cy.fit(undefined, 30);
  } else if (around) {
    cy.animate({ fit: { eles: around.closedNeighborhood(), padding: 40 }, duration: 200 });
  }
}

/** The side panel: what the node is, its neighbours by kind, what to do next. */
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
    id !== state.rootId ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => recenter(id) }, t("recenter"))) : null,
  );

  // Paths: pick a start, then ask for the paths from it to any other node.
  const drawPathButtons = () => {
    mount(
      pathBox,
      h("button", { type: "button", class: "secondary", onclick: () => ((state.pathFrom = { id, name: node.data("name") || id }), drawPathButtons()) }, t("pathFrom")),
      state.pathFrom && state.pathFrom.id !== id
        ? h("button", { type: "button", class: "secondary", onclick: () => showPaths(state, state.pathFrom.id, id, pathBox, tally) }, t("pathTo", state.pathFrom.name))
        : null,
    );
  };
  drawPathButtons();

  // Neighbours by kind, each expandable a page at a time.
  try {
    if (!counts) counts = (await gql(neighbourCountsQuery, { id })).neighbourCounts;
  } catch (err) {
    return showError(expandBox, err);
  }
  const shownOf = (k) => state.shown[`${id}\u0000${k}`] || 0;
  const buttons = counts.map((c) => {
    const b = h("button", { type: "button", class: "secondary", "data-kind": c.kind });
    const label = () => {
      const visible = node.neighborhood(`node[kind = '${c.kind}']`).length;
      b.textContent = `${t("kind" + c.kind)} (${c.count})`;
      if (visible >= c.count || shownOf(c.kind) >= c.count) {
        b.disabled = true;
        b.textContent += ` · ${t("allShown")}`;
      } else if (shownOf(c.kind) > 0) b.textContent = `${t("kind" + c.kind)}: ${t("expandMore", Math.min(PAGE, c.count - shownOf(c.kind)))} (${c.count})`;
    };
    label();
    b.addEventListener("click", async () => {
      b.disabled = true;
      try {
        // The API's page ends at 1,000 nodes, the root among them.
        const want = Math.min(999, shownOf(c.kind) + PAGE);
        const t0 = performance.now();
        const data = await gql(neighbourhoodQuery, { id, depth: 1, types: [KINDS[c.kind].api], first: want + 1 });
        const t1 = performance.now();
        const got = data.neighbourhood.nodes.length - 1;
        state.shown[`${id}\u0000${c.kind}`] = got < want || want === 999 ? c.count : want;
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
  const through =
    kind === "Customer" || kind === "Competitor" || kind === "Need"
      ? h(
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
            },
          },
          t("throughSignals"),
        )
      : null;
  mount(expandBox, buttons, through);

  // What the API says of the node, as the caller may see it.
  try {
    info.replaceChildren(...(await nodeInfo(state, node)));
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
          fact(t("stage"), e(c.stage)),
          fact(t("tier"), e(c.tier)),
          fact(t("region"), c.region || "—"),
          fact(t("owner"), c.owner ? c.owner.name || c.owner.id : t("unassigned")),
          fact(t("lastSignal"), `${date(c.lastSignalAt)} (${c.signalCount} ${t("signals")})`),
        ),
        h("p", {}, h("a", { href: `/customers/${encodeURIComponent(c.id)}`, "data-link": true }, t("openBrief"))),
      ];
    }
    case "Person": {
      // The person as the customer they work at shows them: contact data
      // only where the API gives it to this caller.
      const at = node.connectedEdges("[type = 'WORKS_AT']").targets().filter((n) => n.data("kind") === "Customer");
      if (at.empty()) return [];
      const c = (await gql(nodeCustomerQuery, { id: at[0].id() })).customer;
      const p = c && c.people.find((x) => x.id === id);
      if (!p) return [];
      return [
        h("p", {}, [p.title, p.role ? e(p.role) : null].filter(Boolean).join(" · ") || "—"),
        h("p", { class: "muted" }, `${t("worksAt")} ${c.name}${p.until ? ` (→ ${date(p.until)})` : ""}`),
        p.phone || p.email ? h("p", { class: "contact" }, [p.phone, p.email].filter(Boolean).join(" · ")) : h("p", { class: "muted contact-hidden" }, t("contactHidden")),
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
          list.map((x) =>
            h(
              "li",
              {},
              h("a", { href: `/explore?id=${encodeURIComponent(x.customer.id)}`, "data-link": true }, x.customer.name),
              ` — ${x.signals} ${t("signals")}, ${date(x.lastSeen)}`,
              x.won ? ` · ${t("wonTender")}` : "",
            ),
          ),
        ),
      ];
    }
    case "Signal": {
      const s = (await gql(nodeSignalQuery, { id })).signal;
      if (!s) return [];
      const url = s.url && safeURL(s.url);
      return [
        h("p", {}, h("time", { datetime: s.occurredAt }, date(s.occurredAt)), " ", url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, s.title || e(s.kind)) : s.title || e(s.kind)),
        h("p", { class: "muted" }, `${e(s.kind)} · ${s.source} · `, h("span", { class: `trust trust-${s.trust}` }, e(s.trust))),
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

function fact(term, value) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, value));
}
