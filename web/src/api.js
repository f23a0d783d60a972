// The app's one way to the server: the GraphQL API, with the session cookie
// (set by POST /session) as the credential. X-Requested-With marks a request
// as the app's own: the server refuses cookie-authenticated POSTs that carry
// neither it nor a same-origin Origin, so another site cannot post for us.

const headers = { "Content-Type": "application/json", "X-Requested-With": "valuegraph-web" };

/** An error the API answered, with its extensions.code. */
export class APIError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** Runs a GraphQL operation; resolves to its data, rejects with an APIError. */
export async function gql(query, variables = {}) {
  let res;
  try {
    res = await fetch("/graphql", { method: "POST", credentials: "same-origin", headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new APIError(String(e), "NETWORK", 0);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`HTTP ${res.status}`, "INTERNAL", res.status);
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    throw new APIError(e.message, (e.extensions && e.extensions.code) || "INTERNAL", res.status);
  }
  return body.data;
}

/** Signs in: the server checks the token and keeps it in an HttpOnly cookie. */
export async function signIn(token) {
  const res = await fetch("/session", { method: "POST", credentials: "same-origin", headers, body: JSON.stringify({ token }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = (body.errors && body.errors[0]) || {};
    throw new APIError(e.message || `HTTP ${res.status}`, (e.extensions && e.extensions.code) || "INTERNAL", res.status);
  }
  return body;
}

/** Signs out: the server clears the cookie. */
export async function signOut() {
  await fetch("/session", { method: "DELETE", credentials: "same-origin", headers });
}
