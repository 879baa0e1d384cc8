// Types for the test runtime: `exports.default` from cloudflare:workers is this Worker's entry.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
