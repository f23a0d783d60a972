// GraphiQL, the GraphQL IDE (schema docs, autocompletion, history), at
// /graphql for a browser. Bundled apart (dist/graphiql.js, with React) so the
// app's own bundle stays small. Its requests carry the web app's session
// cookie and the X-Requested-With header the server asks of cookie-signed
// POSTs; a token pasted in the Headers tab ({"Authorization": "Bearer vg_…"})
// is sent instead when there is no session.
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import "./graphiql-page.css";

async function fetcher(params, opts) {
  const res = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Requested-With": "valuegraph-web", ...((opts && opts.headers) || {}) },
    body: JSON.stringify(params),
  });
  return res.json();
}

const defaultQuery = `# Signed in to the web app, queries run as you; else
# paste {"Authorization": "Bearer vg_…"} in Headers.
{
  viewer { name role }
  customers(first: 5) {
    edges { node { id name stage tier signalCount } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false, isHeadersEditorEnabled: true, shouldPersistHeaders: false }),
);
