import { Verify } from "./verify";

// Against the repository's demo backend and Assure simulator: `?scenario=` and
// `?auto=` go to the session endpoint, `?mode=` and `?lang=` to the element, and
// `?capture-origin=` allows the simulator's capture page (Signicat's own hosts
// are allowed by default). Read on the server, so the first HTML has them.
export default async function Page({ searchParams }) {
  const query = await searchParams;
  const one = (key) => (typeof query[key] === "string" ? query[key] : undefined);
  const knobs = new URLSearchParams();
  for (const key of ["scenario", "auto"]) if (one(key)) knobs.set(key, one(key));
  return (
    <Verify
      session={`/api/videoid/session${knobs.size ? `?${knobs}` : ""}`}
      mode={one("mode") === "native" ? "native" : "embed"}
      lang={one("lang")}
      captureOrigin={one("capture-origin")}
    />
  );
}
