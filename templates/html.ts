// Synchronous wrapper around hono/html's `html` tag: interpolations are escaped by default, and
// a template without async parts renders to a string at once. Never use raw() on digest text.
import { html } from "hono/html";

/** A rendered, already-escaped HTML fragment (a String object; `.toString()` gives the markup). */
export type Html = Exclude<ReturnType<typeof html>, Promise<unknown>>;

/** `html` that refuses to go async: every renderer here is synchronous. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new Error("template rendered asynchronously");
  return out;
}

/** `<time>` with a machine-readable RFC 3339 value and a human UTC label. */
export function time(stamp: { iso: string; human: string }): Html {
  return h`<time datetime="${stamp.iso}">${stamp.human}</time>`;
}

/** "A", "A and B", "A, B and C". */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
