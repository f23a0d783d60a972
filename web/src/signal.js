// How a signal is written wherever one is listed (a brief's evidence, the
// feed): its date, its title linked to its source page, its kind, source
// and trust level.
import { h, safeURL } from "./dom.js";
import { e, date } from "./i18n.js";

/** The nodes of one signal's line. */
export function signalLine(s) {
  const url = s.url && safeURL(s.url);
  const title = s.title || e(s.kind);
  return [
    h("time", { datetime: s.occurredAt }, date(s.occurredAt)),
    " ",
    url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, title) : title,
    " ",
    h("span", { class: "muted" }, `(${e(s.kind)}, ${s.source}, `),
    h("span", { class: `trust trust-${s.trust}` }, e(s.trust)),
    h("span", { class: "muted" }, ")"),
  ];
}
