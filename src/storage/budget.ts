// One invocation's storage operations, R2 and KV together. Workers allow about 1,000 per
// invocation, so a rebuild meters its bindings and plans against what is left: how many
// corpus objects to read, how many outputs to write before the rest wait for the next run.
// The meter also refuses any operation past the limit, so a planning slip fails the run
// (and the live digest stays) instead of the platform cutting it off halfway.

export class OverBudgetError extends Error {
  constructor(limit: number) {
    super(`this run reached its limit of ${limit} storage operations; the rest waits for the next run`);
    this.name = "OverBudgetError";
  }
}

export class OperationBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  get spent(): number {
    return this.used;
  }
  get remaining(): number {
    return this.limit - this.used;
  }
  /** Count one operation about to be made; throws instead when it would pass the limit. */
  spend(): void {
    if (this.used >= this.limit) throw new OverBudgetError(this.limit);
    this.used++;
  }
}

/** Methods of R2Bucket and KVNamespace that each cost one operation. */
const OPERATIONS = new Set(["get", "getWithMetadata", "head", "put", "delete", "list"]);

/** The binding, with each operation counted against `budget` before it is made. */
export function metered<Binding extends object>(binding: Binding, budget: OperationBudget): Binding {
  return new Proxy(binding, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      const method = value.bind(target) as (...args: unknown[]) => unknown;
      if (typeof property !== "string" || !OPERATIONS.has(property)) return method;
      return (...args: unknown[]) => {
        budget.spend();
        return method(...args);
      };
    },
  });
}
