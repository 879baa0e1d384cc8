// Bindings `wrangler types` does not know about: secrets. ADMIN_TOKEN is set with
// `wrangler secret put ADMIN_TOKEN` (or `.dev.vars` locally); without it the admin API is off.
declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN?: string;
  }
}
