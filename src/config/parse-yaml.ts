// YAML → plain data, keeping the document so that every problem can be mapped back to the
// line:column of the node it concerns. Syntax errors and duplicate keys are problems here.
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { describeValue, makeProblem, pathText, type ConfigProblem } from "./problem.js";

/** A parsed file: its data (when the YAML is well formed), a locator and the YAML-level problems. */
export interface ParsedYaml {
  /** The document as plain data; undefined when the YAML has syntax errors. */
  data?: unknown;
  problems: ConfigProblem[];
  /** Line and column (1-based) of the node at `path`, or of its closest existing ancestor. */
  locate(path: readonly (string | number)[], what?: "key" | "value"): { line: number; column: number };
}

/** Parses YAML text. Duplicate keys are reported (and the last value wins in `data`). */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // uniqueKeys: false so that we find duplicates ourselves, with their path and both positions.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate: ParsedYaml["locate"] = (path, what = "value") => position(offsetOf(doc, path, what));

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) =>
      makeProblem({
        path: "",
        ...position(error.pos[0]),
        expected: "valid YAML",
        received: "a syntax error",
        message: `YAML syntax error: ${firstLine(error.message)}`,
      }),
    );
    return { problems, locate };
  }
  const problems: ConfigProblem[] = [];
  findDuplicateKeys(doc.contents, [], problems, position);
  return { data: doc.toJS({ maxAliasCount: 1000 }), problems, locate };
}

// The offset of the node at `path`: the key or the value of the last pair; when a segment is
// missing (a required key), the offset of the deepest node that exists.
function offsetOf(doc: Document, path: readonly (string | number)[], what: "key" | "value"): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (!isMap(node)) break;
    const pair = node.items.findLast((item) => isPair(item) && keyText(item.key) === String(segment));
    if (pair === undefined) break;
    const last = index === path.length - 1;
    const keyStart = rangeStart(pair.key);
    const valueStart = rangeStart(pair.value);
    // An empty value (`budget_usd:`) has no useful position of its own: point at its key.
    offset = last && what === "key" ? (keyStart ?? offset) : (valueStart ?? keyStart ?? offset);
    if (last && what === "value" && isScalar(pair.value) && pair.value.value === null) offset = keyStart ?? offset;
    node = pair.value;
  }
  return offset;
}

// Walks every mapping and reports a key that appears twice in it.
function findDuplicateKeys(
  node: unknown,
  path: (string | number)[],
  problems: ConfigProblem[],
  position: (offset: number) => { line: number; column: number },
): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(item, [...path, i], problems, position));
    return;
  }
  if (!isMap(node)) return;
  const seen = new Map<string, number>();
  for (const pair of node.items) {
    const key = keyText(pair.key);
    const start = rangeStart(pair.key) ?? 0;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, start);
    } else {
      const firstLine = position(first).line;
      problems.push(
        makeProblem({
          path: pathText([...path, key]),
          ...position(start),
          expected: "each key once",
          received: `a duplicate of the key on line ${firstLine}`,
          message: `${pathText([...path, key])}: duplicate key (first defined on line ${firstLine}); each key may appear once`,
        }),
      );
    }
    findDuplicateKeys(pair.value, [...path, key], problems, position);
  }
}

// The text of a mapping key as it becomes a property name in the plain data.
function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return describeValue(key);
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
