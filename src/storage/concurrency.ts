// Storage calls a run keeps in flight at once. A Worker has six simultaneous connections
// (R2 and KV calls count; more wait for one to free), and each call in flight holds its
// bytes: the corpus reads and the publish's writes are each bounded by a BoundedTasks.

/** Simultaneous connections a Worker invocation may open. */
const CONNECTIONS = 6;

/**
 * Tasks started as they come, at most CONNECTIONS in flight: add() waits for a free slot. The
 * first failure is thrown by the next add() or by done(), once the tasks in flight have
 * settled, so none rejects unobserved.
 */
export class BoundedTasks {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  async add(task: () => Promise<unknown>): Promise<void> {
    while (this.inFlight.size >= CONNECTIONS) await Promise.race(this.inFlight);
    if (this.failure) await this.done();
    const settled: Promise<void> = task().then(
      () => {
        this.inFlight.delete(settled);
      },
      (error: unknown) => {
        this.inFlight.delete(settled);
        this.failure ??= { error };
      },
    );
    this.inFlight.add(settled);
  }

  /** Waits for every task; throws the first failure. */
  async done(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
  }
}
