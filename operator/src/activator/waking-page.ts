/** Whether a request asked for HTML: a browser gets the waking page, other clients wait for the answer. */
export function wantsHtml(accept: string | undefined): boolean {
  return /\btext\/html\b/i.test(accept ?? '');
}

/** A short page that says the environment is waking and reloads itself; sent with 503 and Retry-After. */
export function wakingPage(name: string, refreshSeconds: number): string {
  const safe = name.replace(/[^a-z0-9.-]/gi, '');
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="refresh" content="${refreshSeconds}">` +
    `<title>${safe} is waking up</title></head><body>` +
    `<p>The environment <b>${safe}</b> was asleep and is waking up; this page reloads in ${refreshSeconds} s.</p>` +
    '</body></html>\n'
  );
}
