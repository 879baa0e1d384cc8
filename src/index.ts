// Worker entry: HTTP through the Hono app; the cron trigger runs the rebuild check.
import { app } from "./app";
import { rebuild } from "./rebuild";

async function scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const result = await rebuild(env);
  if (result.status === "failed") console.error(`scheduled rebuild failed: ${result.error}`);
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
