// The zero-code provider proxy (DESIGN §5): mount `createProxy(session)` on the metering server.
export { createProxy, type MountedProxy, type ProxyOptions, type ProxyDeps } from "./handler.js";
export { ADAPTERS } from "./providers/index.js";
export type { ProviderAdapter, ProviderName } from "./providers/types.js";
