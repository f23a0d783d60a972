// cytoscape.js, bundled apart (dist/cytoscape.js, minified) and loaded only
// when the explorer opens, so the rest of the app stays small.
export { default } from "cytoscape";
