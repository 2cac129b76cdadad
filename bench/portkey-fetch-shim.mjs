// Preloaded into the Portkey peer (node --import) only. With the @hono/node-server installed here,
// Portkey 1.15.2 answers every streamed call with "Something went wrong": its lightweight Response,
// built from the upstream fetch() Response, keeps that response's immutable Headers, and Portkey then
// appends its x-portkey-* headers to them ("TypeError: immutable"). This gives streamed upstream
// responses mutable headers (one extra Response object per streamed call); nothing else changes.
const nativeFetch = globalThis.fetch;
const NativeResponse = globalThis.Response;
globalThis.fetch = async (...args) => {
  const r = await nativeFetch(...args);
  if (!(r.headers.get("content-type") ?? "").includes("text/event-stream")) return r;
  return new NativeResponse(r.body, { status: r.status, statusText: r.statusText, headers: new globalThis.Headers(r.headers) });
};
