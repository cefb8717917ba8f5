// The site's backend (the videoid-www demo backend here) answers the element's
// requests: this route passes /api/videoid/* to VIDEOID_BACKEND (e.g.
// http://localhost:8080), read when the server runs, as a reverse proxy in
// front of both would.
async function pass(request) {
  const backend = process.env.VIDEOID_BACKEND;
  if (!backend) return new Response("VIDEOID_BACKEND is not set", { status: 502 });
  const { pathname, search } = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.delete("host");
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const answer = await fetch(new URL(pathname + search, backend), {
    method: request.method,
    headers,
    body,
    redirect: "manual",
    cache: "no-store",
  });
  const passed = new Headers(answer.headers);
  // fetch() has already decoded the body.
  passed.delete("content-encoding");
  passed.delete("content-length");
  return new Response(answer.body, { status: answer.status, headers: passed });
}

export const GET = pass;
export const POST = pass;
export const PUT = pass;
export const PATCH = pass;
export const DELETE = pass;
