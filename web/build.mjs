// Builds dist/ from src/: app.js and app.css bundled by esbuild, index.html
// copied. Not minified, so that the committed bundle reads and diffs like
// its sources; esbuild's output depends only on the sources and its own
// (pinned) version, so CI can rebuild it and compare (make web, .ci/run).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
await build({
  entryPoints: { app: "src/app.js" },
  bundle: true,
  format: "iife",
  // The graph library is its own file, loaded when the explorer opens.
  external: ["/cytoscape.js"],
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  outdir: "dist",
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: { app: "src/app.css" },
  bundle: true,
  outdir: "dist",
  charset: "utf8",
  logLevel: "warning",
});
// Libraries, minified, each in a file of its own so that the app's own
// bundle stays small and readable.
await build({
  entryPoints: { cytoscape: "src/vendor/cytoscape.js" },
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  outdir: "dist",
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: { graphiql: "src/graphiql.js" },
  bundle: true,
  format: "iife",
  minify: true,
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  define: { "process.env.NODE_ENV": '"production"' },
  outdir: "dist",
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync("src/index.html", "dist/index.html");
copyFileSync("src/graphiql.html", "dist/graphiql.html");
