// What the proxy needs from the session it is mounted on (src/run's ProxyContext satisfies it).
import type { PricingTable } from "../core/pricing/types.js";
import type { MeteringService } from "../server/index.js";
import type { ProviderName } from "./providers/types.js";

/** The session as the proxy sees it. */
export interface ProxyDeps {
  /** Meters every call: writes the ledger lines and applies the kill rule. */
  service: MeteringService;
  /** Where each provider's calls go (config, else the parent's base-URL variable, else the official API). */
  upstreams: Readonly<Record<ProviderName, { url: string }>>;
  pricing: PricingTable;
  /** One line to stderr. */
  notify: (line: string) => void;
}
