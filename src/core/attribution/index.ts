// Multi-agent cost attribution: the tree (direct / delegated / total per agent) and its table.
export { buildAttributionTree, type DirectSpend } from "./tree.js";
export { formatAttributionReport } from "./format.js";
