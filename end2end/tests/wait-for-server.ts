// `cargo leptos end-to-end` starts the server and the tests together: wait until it answers.
export default async function waitForServer() {
  // The demo-free server of the go-live spec too, when .ci/e2e.sh started one.
  const bases = [process.env.BASE_URL ?? 'http://127.0.0.1:3000', process.env.LIVE_URL].filter(Boolean) as string[];
  for (const base of bases) await waitFor(base);
}

async function waitFor(base: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server at ${base} did not answer /healthz within 120 s`);
}
