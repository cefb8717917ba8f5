// The site's backend (the videoid-www demo backend here) answers the element's
// requests: this server passes /api/videoid/* to VIDEOID_BACKEND (e.g.
// http://localhost:8080), as a reverse proxy in front of both would. The
// return page is this app's own (src/routes/videoid/return).
const backend = process.env.VIDEOID_BACKEND;
const PASSED = ["/api/videoid/"];

/** @type {import("@sveltejs/kit").Handle} */
export async function handle({ event, resolve }) {
  const { pathname, search } = event.url;
  if (!backend || !PASSED.some((prefix) => pathname.startsWith(prefix))) return resolve(event);
  const { request } = event;
  const headers = new Headers(request.headers);
  headers.delete("host");
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const answer = await fetch(new URL(pathname + search, backend), {
    method: request.method,
    headers,
    body,
    redirect: "manual",
  });
  const passed = new Headers(answer.headers);
  // fetch() has already decoded the body.
  passed.delete("content-encoding");
  passed.delete("content-length");
  return new Response(answer.body, { status: answer.status, headers: passed });
}
